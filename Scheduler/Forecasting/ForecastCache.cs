using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The last good forecast of each region in the store, with an expiry, so that a restarted Scheduler (or
/// a second instance) plans at once without asking the provider again, and so the fallback survives a restart.
/// The entry's shape is the shared contract <see cref="CarbonForecastEntry"/>, mapped by <see cref="ForecastCacheMapping"/>:
/// Telemetry prices windows with it, including finished ones: a provider's forecast starts at the present, so each save
/// keeps the intervals of the entry it replaces that ended before the new forecast starts (back to <c>keepPast</c>).
/// Without them every refresh left the windows of runs that had ended before it unpriced, and Telemetry billed them and
/// their run-at-once comparison at one mean intensity: a run moved into clean hours showed no saving.
/// </summary>
public sealed class ForecastCache(GreenTrainStore store)
{
    /// <param name="keepPast">How far back before <paramref name="fetchedAt"/> the entry keeps intervals that have ended.</param>
    public async Task SaveAsync(IntensitySeries series, DateTimeOffset fetchedAt, TimeSpan expiry, TimeSpan keepPast)
    {
        // An entry names one source and one signal for all its intervals, so a past from another provider or signal
        // (the configuration changed) is let go rather than relabelled as this one's.
        var first = series.Intervals[0];
        var past = await LoadEntryAsync(series.Region) is { } earlier
            ? earlier.Series.Intervals.Where(i => i.Source == first.Source && i.Signal == first.Signal
                && i.End <= series.Start && i.End > fetchedAt - keepPast).ToList()
            : [];
        var kept = past.Count == 0 ? series : new IntensitySeries(series.Region, [.. past, .. series.Intervals], series.Source);
        await store.Database.StringSetAsync(StoreKeys.CarbonForecast(series.Region),
            CarbonForecastJson.Serialize(ForecastCacheMapping.ToEntry(kept, fetchedAt)), expiry);
    }

    /// <summary>The cached forecast as the provider gave it (from the interval current when it was fetched on), without the kept past.</summary>
    public async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadAsync(string region)
    {
        if (await LoadEntryAsync(region) is not { } entry) return null;
        var fetched = entry.Series.Intervals.Where(i => i.End > entry.FetchedAt).ToList();
        return fetched.Count == 0 ? null : (new IntensitySeries(entry.Series.Region, fetched, entry.Series.Source), entry.FetchedAt);
    }

    /// <summary>The whole entry, kept past included (what Telemetry reads); null when there is none or it is damaged.</summary>
    private async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadEntryAsync(string region)
    {
        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CarbonForecast(region));
        // A damaged entry (bad JSON, overlapping intervals) is no forecast, never a crash.
        return json is not null && CarbonForecastJson.TryParse(json) is { } entry && ForecastCacheMapping.ToSeries(entry, region) is { } series
            ? (series, entry.FetchedAt)
            : null;
    }
}
