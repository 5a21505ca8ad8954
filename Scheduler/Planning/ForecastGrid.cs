using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// Forecast intensity of each region on one regular grid of cells, cell 0 starting at <see cref="Start"/>.
/// Every cell holds a number: holes in a forecast, and the time past its end, are filled by daily
/// persistence (the value one day earlier), the usual naive forecast for grid intensity.
/// </summary>
public sealed class ForecastGrid
{
    public ForecastGrid(DateTimeOffset start, TimeSpan step, IReadOnlyDictionary<string, double[]> regions)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "The step must be positive.");
        }
        if (regions.Count == 0 || regions.Values.Select(v => v.Length).Distinct().Count() != 1)
        {
            throw new ArgumentException("A forecast grid needs at least one region, all of the same length.", nameof(regions));
        }
        Start = start;
        Step = step;
        Regions = regions;
        Cells = regions.Values.First().Length;
        foreach (var (region, values) in regions)
        {
            if (values.Any(v => double.IsNaN(v) || v < 0))
            {
                throw new ArgumentException($"The forecast of {region} has holes or negative values; fill them first.", nameof(regions));
            }
        }
    }

    public DateTimeOffset Start { get; }

    public TimeSpan Step { get; }

    public int Cells { get; }

    public IReadOnlyDictionary<string, double[]> Regions { get; }

    public DateTimeOffset CellStart(int cell) => Start + Step * cell;

    /// <summary>The first cell that starts at or after a moment (a job may not begin before it).</summary>
    public int CellAtOrAfter(DateTimeOffset moment) =>
        moment <= Start ? 0 : (int)Math.Ceiling((moment - Start).Ticks / (double)Step.Ticks - 1e-9);

    /// <summary>How many cells end at or before a moment (work in them finishes by then).</summary>
    public int CellsEndingBy(DateTimeOffset moment) =>
        moment <= Start ? 0 : (int)Math.Floor((moment - Start).Ticks / (double)Step.Ticks + 1e-9);

    /// <summary>
    /// A centred moving average over <paramref name="width"/> cells. Point forecasts carry errors that are
    /// partly independent from cell to cell, while grid intensity moves smoothly; averaging neighbours
    /// removes part of that error before the planner ranks cells (a width of 1 changes nothing).
    /// </summary>
    public ForecastGrid Smoothed(int width)
    {
        if (width <= 1)
        {
            return this;
        }
        var half = width / 2;
        var smoothed = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (region, values) in Regions)
        {
            var result = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                int from = Math.Max(0, i - half), to = Math.Min(values.Length - 1, i + half);
                double sum = 0;
                for (var j = from; j <= to; j++)
                {
                    sum += values[j];
                }
                result[i] = sum / (to - from + 1);
            }
            smoothed[region] = result;
        }
        return new ForecastGrid(Start, Step, smoothed);
    }

    /// <summary>Samples series onto the grid and fills holes by persistence, so a partial forecast still plans.</summary>
    public static ForecastGrid FromSeries(IEnumerable<IntensitySeries> series, DateTimeOffset start, TimeSpan step, int cells)
    {
        var regions = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in series)
        {
            var values = s.ToGrid(start, step, cells);
            SeasonalNaive.FillHoles(values, Math.Max(1, (int)Math.Round(TimeSpan.FromDays(1) / step)), s.Region);
            regions[s.Region] = values;
        }
        return new ForecastGrid(start, step, regions);
    }
}
