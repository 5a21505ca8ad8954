using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Carbon;

/// <summary>
/// The mapping between an <see cref="IntensitySeries"/> and the forecast-cache contract (<see cref="CarbonForecastEntry"/>,
/// stored under StoreKeys.CarbonForecast): the Scheduler writes with <see cref="ToEntry"/>, it and Telemetry read back
/// with <see cref="ToSeries"/>, so a cached forecast means the same intervals, gaps and signal on both sides.
/// </summary>
public static class ForecastCacheMapping
{
    public static CarbonForecastEntry ToEntry(IntensitySeries series, DateTimeOffset fetchedAt)
    {
        if (series.Intervals.Count == 0)
        {
            throw new ArgumentException($"The forecast of {series.Region} has no interval to cache.", nameof(series));
        }
        var first = series.Intervals[0];
        return new CarbonForecastEntry(fetchedAt, first.Source, ToContract(first.Signal),
            series.Intervals.Select(i => new CarbonForecastInterval(i.Start, i.End, i.GramsPerKWh)).ToList());
    }

    /// <summary>The entry as a series of <paramref name="region"/>; null when its intervals overlap (a damaged entry is no forecast).</summary>
    public static IntensitySeries? ToSeries(CarbonForecastEntry entry, string region, string? source = null)
    {
        var signal = FromContract(entry.Signal);
        var intervals = entry.Intervals.Select(v => new IntensityInterval(v.Start, v.End, v.GramsPerKwh, signal, entry.Source, region)).ToList();
        try
        {
            return new IntensitySeries(region, intervals, source);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static CarbonSignal ToContract(IntensitySignal signal) =>
        signal == IntensitySignal.Marginal ? CarbonSignal.Marginal : CarbonSignal.Average;

    public static IntensitySignal FromContract(CarbonSignal signal) =>
        signal == CarbonSignal.Marginal ? IntensitySignal.Marginal : IntensitySignal.Average;
}
