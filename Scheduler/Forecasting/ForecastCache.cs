using System.Text.Json;
using GreenTrain.Scheduler.Intensity;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// The last good forecast of each region in the store, with an expiry, so that a restarted Scheduler (or
/// a second instance) plans at once without asking the provider again, and so the fallback survives a restart.
/// </summary>
public sealed class ForecastCache(GreenTrainStore store)
{
    private sealed record Entry(DateTimeOffset FetchedAt, string Source, IntensitySignal Signal, List<double[]> Values);

    public async Task SaveAsync(IntensitySeries series, DateTimeOffset fetchedAt, TimeSpan expiry)
    {
        var first = series.Intervals[0];
        // Compact form: [start unix seconds, end unix seconds, g/kWh] per interval.
        var values = series.Intervals.Select(i => new[] { i.Start.ToUnixTimeSeconds(), (double)i.End.ToUnixTimeSeconds(), i.GramsPerKWh }).ToList();
        var json = JsonSerializer.Serialize(new Entry(fetchedAt, first.Source, first.Signal, values));
        await store.Database.StringSetAsync(StoreKeys.CarbonForecast(series.Region), json, expiry);
    }

    public async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadAsync(string region)
    {
        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CarbonForecast(region));
        if (json is null)
        {
            return null;
        }
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(json);
            if (entry is null || entry.Values.Count == 0)
            {
                return null;
            }
            var intervals = entry.Values.Select(v => new IntensityInterval(
                DateTimeOffset.FromUnixTimeSeconds((long)v[0]), DateTimeOffset.FromUnixTimeSeconds((long)v[1]), v[2], entry.Signal, entry.Source, region)).ToList();
            return (new IntensitySeries(region, intervals), entry.FetchedAt);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or IndexOutOfRangeException)
        {
            return null; // a damaged entry is no forecast, never a crash
        }
    }
}
