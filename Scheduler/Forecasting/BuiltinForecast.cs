using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The live Scheduler's own forecast, for when the provider gives none: the built-in forecaster
/// (<see cref="BlendedForecaster.Builtin"/>) learns the region's known series cell by cell, then forecasts from the end
/// of what is known to the horizon. Only the known series reaches it: nothing after its end can.
/// </summary>
public static class BuiltinForecast
{
    /// <summary>Days of history, before the end of what is known, after each cell of which the blend is scored.</summary>
    private const int RecordDays = 28;

    /// <summary>
    /// The forecast over [from, from + horizon) from a known series. <paramref name="gridDay"/> is how long a day of grid
    /// time lasts on the series' clock (a day, or less under trace replay, which runs the grid faster than the wall clock).
    /// </summary>
    public static IntensitySeries Extend(IntensitySeries known, DateTimeOffset from, TimeSpan horizon, TimeSpan gridDay)
    {
        if (known.Intervals.Count == 0)
        {
            throw new ArgumentException($"No intensity known for {known.Region} to forecast from.", nameof(known));
        }
        var step = known.TypicalStep;
        var cellsPerDay = Math.Max(1, (int)Math.Round(gridDay / step));
        var seen = Math.Max(1, (int)Math.Floor((known.End - known.Start) / step));
        var history = known.ToGrid(known.Start, step, seen);
        var firstCell = Math.Max(0, (int)Math.Floor((from - known.Start) / step));
        var lastCell = (int)Math.Ceiling((from + horizon - known.Start) / step);
        var ahead = Math.Max(1, lastCell - seen);
        var model = BlendedForecaster.Builtin(known.Start, step * (TimeSpan.FromDays(1) / gridDay), ahead);
        var forecast = new double[ahead];
        // Forecasting after a cell, as the back-test does, gives the blend a record of each member's error (with one
        // forecast at the end it had none and weighted every member the same). Only the last weeks need it: the record
        // is a mean with a 14-day half-life, and forecasting after every cell of a year's history on every refresh
        // starved the services of CPU under trace replay (the AppHost no longer shut down within a minute).
        var scoredFrom = Math.Max(0, history.Length - RecordDays * cellsPerDay);
        for (var cell = 0; cell < history.Length; cell++)
        {
            model.Observe(history[cell]);
            if (cell >= scoredFrom) model.Forecast(forecast);
        }
        var first = known.Intervals[0];
        var intervals = new List<IntensityInterval>();
        for (var i = 0; i < ahead; i++)
        {
            var cell = seen + i;
            if (cell >= firstCell)
            {
                var start = known.Start + step * cell;
                intervals.Add(new IntensityInterval(start, start + step, forecast[i], first.Signal, $"builtin({first.Source})", known.Region));
            }
        }
        return new IntensitySeries(known.Region, intervals);
    }
}
