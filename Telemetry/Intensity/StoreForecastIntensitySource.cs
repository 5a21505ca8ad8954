using System.Text.Json;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Telemetry.Intensity;

/// <summary>
/// Intensity from the Scheduler's forecast cache in the store (greentrain:carbon:{region}:forecast): its
/// last good series of intervals, [start unix s, end unix s, gCO2eq/kWh] each. Windows are priced while
/// they are fresh (the metrics exporter) or later if the cache still covers them; gaps stay gaps.
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
    public static IntensitySeries? Parse(string json, string region)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var source = root.TryGetProperty("Source", out var s) ? s.GetString() : null;
            var points = root.GetProperty("Values").EnumerateArray()
                .Select(v => new IntensityPoint(
                    DateTimeOffset.FromUnixTimeSeconds((long)v[0].GetDouble()), v[2].GetDouble(),
                    DateTimeOffset.FromUnixTimeSeconds((long)v[1].GetDouble())))
                .ToList();
            return points.Count == 0 ? null : new IntensitySeries(region, $"scheduler forecast cache ({source ?? "unknown provider"})", points);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }
}
