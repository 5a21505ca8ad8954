using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>
/// The SDK's forecast arithmetic: the mean intensity of a workload of a given length started at each forecast point
/// inside [dataStartAt, dataEndAt], and the lowest of them (the optimal data points). A window the series does not
/// cover wholly (past its end, over a gap) is left out rather than averaged over less time.
/// </summary>
public static class ForecastWindows
{
    public static IReadOnlyList<ForecastPointView> Rolling(IntensitySeries series, string location, DateTimeOffset from, DateTimeOffset to, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A workload window must be positive.");
        }
        // A start inside a point counts from there (the SDK's dataStartAt may fall between points); later starts are points.
        var starts = series.At(from) is null ? [] : new List<DateTimeOffset> { from };
        starts.AddRange(series.Intervals.Select(i => i.Start).Where(s => s > from));
        var minutes = (int)Math.Round(window.TotalMinutes);
        var points = new List<ForecastPointView>();
        foreach (var start in starts.Where(s => s + window <= to))
        {
            if (CoveredSeconds(series, start, start + window) >= window.TotalSeconds - 1e-6 && series.MeanOver(start, start + window) is { } mean)
            {
                points.Add(new ForecastPointView(location, start, minutes, mean));
            }
        }
        return points;
    }

    /// <summary>Every point with the lowest value (the SDK returns all ties); empty for no points.</summary>
    public static IReadOnlyList<ForecastPointView> Optimal(IReadOnlyList<ForecastPointView> points)
    {
        if (points.Count == 0)
        {
            return [];
        }
        var lowest = points.Min(p => p.Value);
        return points.Where(p => p.Value == lowest).ToList();
    }

    private static double CoveredSeconds(IntensitySeries series, DateTimeOffset start, DateTimeOffset end) =>
        series.Intervals.Where(i => i.End > start && i.Start < end)
            .Sum(i => ((i.End < end ? i.End : end) - (i.Start > start ? i.Start : start)).TotalSeconds);
}
