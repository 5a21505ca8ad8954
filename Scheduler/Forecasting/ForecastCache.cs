using GreenTrain.Scheduler.Intensity;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The last good forecast of each region in the store, with an expiry, so that a restarted Scheduler (or
/// a second instance) plans at once without asking the provider again, and so the fallback survives a restart.
/// The entry's shape is the shared contract <see cref="CarbonForecastEntry"/>: Telemetry prices windows with it.
/// </summary>
public sealed class ForecastCache(GreenTrainStore store)
{
    public async Task SaveAsync(IntensitySeries series, DateTimeOffset fetchedAt, TimeSpan expiry)
    {
        var first = series.Intervals[0];
        var entry = new CarbonForecastEntry(fetchedAt, first.Source, ToContract(first.Signal),
            series.Intervals.Select(i => new CarbonForecastInterval(i.Start, i.End, i.GramsPerKWh)).ToList());
        await store.Database.StringSetAsync(StoreKeys.CarbonForecast(series.Region), CarbonForecastJson.Serialize(entry), expiry);
    }

    public async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadAsync(string region)
    {
        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CarbonForecast(region));
        if (json is null || CarbonForecastJson.TryParse(json) is not { } entry)
        {
            return null; // a damaged entry is no forecast, never a crash
        }
        var signal = FromContract(entry.Signal);
        var intervals = entry.Intervals.Select(v => new IntensityInterval(v.Start, v.End, v.GramsPerKwh, signal, entry.Source, region)).ToList();
        try
        {
            return (new IntensitySeries(region, intervals), entry.FetchedAt);
        }
        catch (ArgumentException)
        {
            return null; // overlapping intervals: damaged too
        }
    }

    private static CarbonSignal ToContract(IntensitySignal signal) =>
        signal == IntensitySignal.Marginal ? CarbonSignal.Marginal : CarbonSignal.Average;

    private static IntensitySignal FromContract(CarbonSignal signal) =>
        signal == CarbonSignal.Marginal ? IntensitySignal.Marginal : IntensitySignal.Average;
}
