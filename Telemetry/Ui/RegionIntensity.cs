using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Ui;

/// <summary>
/// One region's grid intensity: the Scheduler's cached forecast (with the provider it came from and when it was
/// fetched) and the actual values where Telemetry has them (a configured trace), with the forecast's error against
/// those actuals over the time both cover.
/// </summary>
public sealed record RegionView(
    string Region,
    string? Origin,
    string? Signal,
    DateTimeOffset? FetchedAt,
    IReadOnlyList<IntensitySpan> Forecast,
    string? ActualSource,
    IReadOnlyList<IntensitySpan> Actual,
    double? MeanAbsoluteErrorGrams,
    double? MeanAbsolutePercentError);

public sealed class RegionIntensity(GreenTrainStore store, IOptions<AccountingOptions> options, ExperimentDirectory directory)
{
    private const string ForecastPattern = StoreKeys.Prefix + "carbon:*:forecast";

    public async Task<IReadOnlyList<RegionView>> ListAsync(CancellationToken cancellationToken)
    {
        var views = new List<RegionView>();
        foreach (var region in await RegionsAsync())
        {
            views.Add(await GetAsync(region, cancellationToken));
        }
        return views;
    }

    public async Task<RegionView> GetAsync(string region, CancellationToken cancellationToken)
    {
        var entry = (string?)await store.Database.StringGetAsync(StoreKeys.CarbonForecast(region)) is { } json ? CarbonForecastJson.TryParse(json) : null;
        var forecast = entry?.Intervals.Select(i => new IntensitySpan(i.Start, i.End, i.GramsPerKwh)).ToList() ?? [];
        IReadOnlyList<IntensitySpan> actual = [];
        string? actualSource = null;
        var o = options.Value;
        if (o.Traces.ContainsKey(region) && forecast.Count > 0)
        {
            var trace = new TraceIntensitySource(o.Traces, GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.ForZone(o.TraceTimeZone));
            var (from, to) = (forecast[0].Start - TimeSpan.FromDays(1), forecast[^1].End);
            if (await trace.GetSeriesAsync(region, from, to, cancellationToken) is { } series)
            {
                actual = series.Slice(from, to).Intervals.Select(i => new IntensitySpan(i.Start, i.End, i.GramsPerKWh)).ToList();
                actualSource = series.Source;
            }
        }
        var (mae, mape) = ForecastError.Of(forecast, actual);
        return new RegionView(region, entry?.Source, entry is null ? null : entry.Signal.ToString().ToLowerInvariant(), entry?.FetchedAt,
            forecast, actualSource, actual, mae, mape);
    }

    /// <summary>Regions with a cached forecast, a configured trace, or an experiment in or allowed in them.</summary>
    private async Task<IReadOnlyList<string>> RegionsAsync()
    {
        var regions = new SortedSet<string>(options.Value.Traces.Keys, StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var server in store.Connection.GetServers())
            {
                await foreach (var key in server.KeysAsync(pattern: ForecastPattern))
                {
                    var parts = ((string)key!).Split(':');
                    if (parts.Length == 4)
                    {
                        regions.Add(parts[2]);
                    }
                }
            }
        }
        catch (RedisException)
        {
            // A store that refuses SCAN still has the regions that the configuration and the experiments name.
        }
        foreach (var e in await directory.ListAsync())
        {
            foreach (var region in (e.Record?.Spec?.Carbon.AllowedRegions ?? []).Append(e.Record?.Region).Append(e.Progress?.Region))
            {
                if (!string.IsNullOrWhiteSpace(region))
                {
                    regions.Add(region);
                }
            }
        }
        return regions.ToList();
    }
}

/// <summary>How far a forecast was from the actual values, compared at each actual value's time within the forecast's span.</summary>
public static class ForecastError
{
    public static (double? MeanAbsoluteGrams, double? MeanAbsolutePercent) Of(IReadOnlyList<IntensitySpan> forecast, IReadOnlyList<IntensitySpan> actual)
    {
        var pairs = actual.Select(a => (Actual: a.GramsPerKwh, Forecast: forecast.FirstOrDefault(f => f.Start <= a.Start && a.Start < f.End)))
            .Where(p => p.Forecast is not null).ToList();
        if (pairs.Count == 0)
        {
            return (null, null);
        }
        var mae = pairs.Average(p => Math.Abs(p.Forecast!.GramsPerKwh - p.Actual));
        var positive = pairs.Where(p => p.Actual > 0).ToList();
        double? mape = positive.Count == 0 ? null : positive.Average(p => Math.Abs(p.Forecast!.GramsPerKwh - p.Actual) / p.Actual) * 100;
        return (Math.Round(mae, 3), mape is { } m ? Math.Round(m, 3) : null);
    }
}
