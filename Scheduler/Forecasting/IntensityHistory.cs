using System.Collections.Concurrent;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// Each region's intensity as it arrived: from every provider answer, the intervals that had begun when it came (the
/// present, and any past it reports), kept for <paramref name="keep"/>. The built-in forecaster learns from it.
/// </summary>
public sealed class IntensityHistory(TimeSpan keep)
{
    private readonly ConcurrentDictionary<string, List<IntensityInterval>> _byRegion = new(StringComparer.OrdinalIgnoreCase);

    public void Record(IntensitySeries series, DateTimeOffset now)
    {
        var list = _byRegion.GetOrAdd(series.Region, _ => []);
        lock (list)
        {
            var after = list.Count > 0 ? list[^1].End : DateTimeOffset.MinValue;
            list.AddRange(series.Intervals.Where(i => i.Start <= now && i.Start >= after));
            list.RemoveAll(i => i.End < now - keep);
        }
    }

    /// <summary>The recorded history of a region followed by the intervals of <paramref name="later"/> that start after it.</summary>
    public IntensitySeries Joined(string region, IntensitySeries later)
    {
        if (!_byRegion.TryGetValue(region, out var list))
        {
            return later;
        }
        lock (list)
        {
            var end = list.Count > 0 ? list[^1].End : DateTimeOffset.MinValue;
            return new IntensitySeries(later.Region, [.. list, .. later.Intervals.Where(i => i.Start >= end)], later.Source);
        }
    }
}
