using GreenTrain.Scheduler.Intensity;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The forecast of a region when nothing was ever fetched for it (the provider down since the first start, no cache):
/// its embedded trace as a persistence forecast (a recorded day of that grid, repeated), else a flat guess. Planning on
/// it keeps experiments moving: a deadline that needs it runs at once, the rest wait for hours that are clean on a
/// typical day, and the plan note says it was not a forecast.
/// </summary>
public static class BuiltInForecast
{
    /// <summary>A typical grid average, in g CO2eq/kWh, for a region with no embedded trace: only its constancy matters.</summary>
    private const double FlatGramsPerKWh = 400;

    public static RegionForecast For(string region, DateTimeOffset now, TimeSpan horizon, TimeSpan step, string problem)
    {
        if (TraceReader.EmbeddedRegions.Contains(region, StringComparer.OrdinalIgnoreCase))
        {
            var trace = TraceReader.ReadEmbedded(region);
            return new RegionForecast(region, PersistenceForecast.From(trace, now, horizon), ForecastOrigin.BuiltIn, now,
                $"{problem}; no forecast was ever fetched, so planning uses the fallback: the built-in {region.ToUpperInvariant()} trace, its last day repeated");
        }
        return new RegionForecast(region, Flat(region, now, horizon, step), ForecastOrigin.BuiltIn, now,
            $"{problem}; no forecast was ever fetched, so planning uses the fallback: a flat {FlatGramsPerKWh} g/kWh (intensity unknown), so nothing waits");
    }

    /// <summary>
    /// Flat, but rising by a millionth per cell: with nothing known, waiting saves nothing, and the tiny rise makes the
    /// planner prefer sooner over later instead of picking among equal cells at random.
    /// </summary>
    private static IntensitySeries Flat(string region, DateTimeOffset now, TimeSpan horizon, TimeSpan step)
    {
        var cells = (int)Math.Ceiling(horizon / step);
        var intervals = Enumerable.Range(0, cells)
            .Select(i => new IntensityInterval(now + step * i, now + step * (i + 1), FlatGramsPerKWh * (1 + 1e-6 * i), IntensitySignal.Average, "flat", region.ToUpperInvariant()))
            .ToList();
        return new IntensitySeries(region.ToUpperInvariant(), intervals);
    }
}
