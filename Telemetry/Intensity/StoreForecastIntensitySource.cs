using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Telemetry.Intensity;

/// <summary>
/// Intensity from the Scheduler's forecast cache in the store (StoreKeys.CarbonForecast, the shared
/// <see cref="CarbonForecastEntry"/> contract). Windows are priced while they are fresh (the metrics
/// exporter) or later from the past the cache keeps (the Scheduler carries a week of grid time of ended intervals
/// into each refresh, ForecastCache); gaps between intervals stay gaps.
/// </summary>
public sealed class StoreForecastIntensitySource(GreenTrainStore store) : IIntensitySource
{
    public async Task<IntensitySeries?> GetSeriesAsync(string region, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        string key;
        try
        {
            key = StoreKeys.CarbonForecast(region);
        }
        catch (ArgumentException)
        {
            return null; // a region no store key can name has no cached forecast
        }
        var json = (string?)await store.Database.StringGetAsync(key);
        return json is null ? null : Parse(json, region);
    }

    /// <summary>Reads the cache entry; a damaged one is no series, never a crash.</summary>
    public static IntensitySeries? Parse(string json, string region) =>
        CarbonForecastJson.TryParse(json) is { } entry
            ? ForecastCacheMapping.ToSeries(entry, region, $"scheduler forecast cache ({entry.Source})")
            : null;
}
