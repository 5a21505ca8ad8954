using GreenTrain.Scheduler.Traces;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The forecast of a region when nothing was ever fetched for it (the provider down since the first start, no cache):
/// the built-in forecaster run on two weeks of the region's embedded trace at the same time of year, moved by whole
/// weeks to end now (so weekdays line up), else a flat guess. Planning on it keeps experiments moving: a deadline that
/// needs it runs at once, the rest wait for hours that are clean on a typical day, and the plan note says it was not a forecast.
/// </summary>
public static class NeverFetchedForecast
{
    /// <summary>A typical grid average, in g CO2eq/kWh, for a region with no embedded trace: only its constancy matters.</summary>
    private const double FlatGramsPerKWh = 400;

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    public static RegionForecast For(string region, DateTimeOffset now, TimeSpan horizon, TimeSpan step, TimeSpan gridDay, string problem)
    {
        if (ShippedTraces.EmbeddedRegions.Contains(region, StringComparer.OrdinalIgnoreCase)
            && RecentWeeks(ShippedTraces.ReadEmbedded(region), now) is { Intervals.Count: > 0 } known)
        {
            return new RegionForecast(region, BuiltinForecast.Extend(known, now, horizon, gridDay), ForecastOrigin.NeverFetched, now,
                $"{problem}; no forecast was ever fetched, so planning uses the fallback: the built-in {region.ToUpperInvariant()} trace at this time of year, carried forward by the built-in forecaster");
        }
        return new RegionForecast(region, Flat(region, now, horizon, step), ForecastOrigin.NeverFetched, now,
            $"{problem}; no forecast was ever fetched, so planning uses the fallback: a flat {FlatGramsPerKWh} g/kWh (intensity unknown), so nothing waits");
    }

    /// <summary>The trace's two weeks before the same moment of its year as now, moved by whole weeks to end at now.</summary>
    private static IntensitySeries RecentWeeks(IntensitySeries trace, DateTimeOffset now)
    {
        var sinceNewYear = now - new DateTimeOffset(now.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var traceNewYear = new DateTimeOffset(trace.Start.UtcDateTime.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sameMoment = traceNewYear + sinceNewYear;
        if (sameMoment - 2 * Week < trace.Start || sameMoment > trace.End) sameMoment = trace.End; // early January, or past the trace's end
        var shift = Week * Math.Round((now - sameMoment) / Week);
        var intervals = trace.Intervals
            .Where(i => i.Start + shift >= now - 2 * Week && i.End + shift <= now)
            .Select(i => i with { Start = i.Start + shift, End = i.End + shift })
            .ToList();
        return new IntensitySeries(trace.Region, intervals);
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
