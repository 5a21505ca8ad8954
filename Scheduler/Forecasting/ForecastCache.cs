using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The last good forecast of each region in the store, with an expiry, so that a restarted Scheduler (or
/// a second instance) plans at once without asking the provider again, and so the fallback survives a restart.
/// The entry's shape is the shared contract <see cref="CarbonForecastEntry"/>, mapped by <see cref="ForecastCacheMapping"/>:
/// Telemetry prices windows with it.
/// </summary>
public sealed class ForecastCache(GreenTrainStore store)
{
    public async Task SaveAsync(IntensitySeries series, DateTimeOffset fetchedAt, TimeSpan expiry) =>
        await store.Database.StringSetAsync(StoreKeys.CarbonForecast(series.Region),
            CarbonForecastJson.Serialize(ForecastCacheMapping.ToEntry(series, fetchedAt)), expiry);

    public async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadAsync(string region)
    {
        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CarbonForecast(region));
        // A damaged entry (bad JSON, overlapping intervals) is no forecast, never a crash.
        return json is not null && CarbonForecastJson.TryParse(json) is { } entry && ForecastCacheMapping.ToSeries(entry, region) is { } series
            ? (series, entry.FetchedAt)
            : null;
    }
}
