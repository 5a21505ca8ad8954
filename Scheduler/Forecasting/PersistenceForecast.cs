using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The naive forecast of last resort: the last day of a known series repeated day after day until the
/// horizon. Grid intensity follows the daily cycle of demand and sun, so yesterday is a fair guess for today.
/// </summary>
public static class PersistenceForecast
{
    public static IntensitySeries From(IntensitySeries known, DateTimeOffset now, TimeSpan horizon)
    {
        var day = TimeSpan.FromDays(1);
        var lastDay = known.Intervals.Where(i => i.Start >= known.End - day).ToArray();
        var result = new List<IntensityInterval>();
        // Shift the last known day forward by whole days until it covers [now, now + horizon).
        var shift = TimeSpan.Zero;
        while (known.End + shift < now)
        {
            shift += day;
        }
        for (; lastDay[0].Start + shift < now + horizon; shift += day)
        {
            foreach (var interval in lastDay)
            {
                var start = interval.Start + shift;
                if (start + interval.Duration > now && start < now + horizon && (result.Count == 0 || start >= result[^1].End))
                {
                    result.Add(interval with { Start = start, End = start + interval.Duration, Source = $"persistence({interval.Source})" });
                }
            }
        }
        return new IntensitySeries(known.Region, result);
    }
}
