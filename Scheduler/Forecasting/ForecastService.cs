using System.Collections.Concurrent;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Providers;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// Keeps one forecast per region and never lets a provider failure reach the planner: on a failure it
/// falls back to the last good forecast (from memory or the store cache) while it still covers the
/// present, then to the built-in forecaster (<see cref="BuiltinForecast"/>), which learns from the region's history as it
/// arrived (the start of every answer the provider gave) and the last good forecast; with none ever fetched, to <see cref="NeverFetchedForecast"/>. A 429 is respected: the provider is not asked
/// again before its Retry-After. Each region's state feeds the carbon health check.
/// </summary>
public sealed partial class ForecastService(
    IIntensityProvider provider, ForecastCache cache, TimeProvider time, CarbonOptions options, ILogger<ForecastService> logger)
{
    private readonly ConcurrentDictionary<string, RegionForecast> _current = new(StringComparer.OrdinalIgnoreCase);
    private readonly IntensityHistory _history = new(options.WallTime(TimeSpan.FromDays(28)));
    private DateTimeOffset _quietUntil = DateTimeOffset.MinValue;

    /// <summary>Grid days of past intervals the store's cache keeps for Telemetry to price finished runs with.</summary>
    public const int PricedPastDays = 7;

    /// <summary>A day of grid time on the wall clock (shorter under trace replay).</summary>
    private TimeSpan GridDay => options.WallTime(TimeSpan.FromDays(1));

    /// <summary>What the built-in forecaster may learn from: the region's observed history, then the last good forecast after it.</summary>
    private IntensitySeries Known(string region, IntensitySeries lastGood) => _history.Joined(region, lastGood);

    public IIntensityProvider Provider => provider;

    public IReadOnlyDictionary<string, RegionForecast> Current => _current;

    /// <summary>Asks the provider for a region's forecast; returns what the planner should use, or null when nothing at all is known.</summary>
    public async Task<RegionForecast?> RefreshAsync(string region, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        string problem;
        if (now < _quietUntil)
        {
            problem = $"rate limited by {provider.Name} until {_quietUntil:HH:mm:ss}Z";
        }
        else
        {
            try
            {
                var series = await provider.GetForecastAsync(region, cancellationToken);
                var fresh = new RegionForecast(series.Region, series, ForecastOrigin.Provider, now);
                _history.Record(series, now);
                _current[region] = fresh;
                await SaveAsync(series, now);
                return fresh;
            }
            catch (IntensityProviderException ex)
            {
                if (ex.RetryAfter is { } wait)
                {
                    _quietUntil = now + wait;
                }
                problem = $"{ex.Kind}: {ex.Message}";
                LogProviderFailed(logger, provider.Name, region, ex.Kind, ex.Message);
            }
        }
        var fallback = await FallbackAsync(region, now, problem);
        if (fallback is not null)
        {
            _current[region] = fallback;
        }
        return fallback;
    }

    /// <summary>The forecast in memory, else the cached one (after a restart); null when the region was never fetched.</summary>
    public async Task<RegionForecast?> GetAsync(string region, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(region, out var known))
        {
            return known;
        }
        var cached = await LoadAsync(region);
        return cached is { } c ? _current.GetOrAdd(region, new RegionForecast(region, c.Series, ForecastOrigin.Provider, c.FetchedAt)) : null;
    }

    /// <summary>
    /// What a region's grid has been as GreenTrain saw it: the history as it arrived, then the intervals of the last fetched
    /// forecast that have begun. A fallback's own guesses (built-in, never fetched) are no observation and are left out.
    /// </summary>
    public async Task<IntensitySeries> ObservedAsync(string region, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await GetAsync(region, cancellationToken);
        var fetched = current is { Origin: ForecastOrigin.Provider or ForecastOrigin.LastGood } ? current.Series : new IntensitySeries(region, []);
        var joined = Known(region, fetched);
        return new IntensitySeries(region, joined.Intervals.Where(i => i.Start <= now).ToList(), joined.Source);
    }

    private async Task<RegionForecast?> FallbackAsync(string region, DateTimeOffset now, string problem)
    {
        // A built-in fallback is no last good forecast: it was never fetched.
        var lastGood = _current.TryGetValue(region, out var known) && known.Origin != ForecastOrigin.NeverFetched ? (known.Series, known.FetchedAt) : await LoadAsync(region);
        var horizon = options.WallTime(TimeSpan.FromHours(options.HorizonHours));
        if (lastGood is not { } good || good.Series.Intervals.Count == 0)
        {
            // An outage since the first start must not leave every experiment waiting with no word why.
            return NeverFetchedForecast.For(region, now, horizon, options.WallTime(TimeSpan.FromMinutes(15)), GridDay, problem);
        }
        if (good.Series.End > now)
        {
            var ahead = good.Series.Intervals.Where(i => i.End > now).ToList();
            if (good.Series.End < now + horizon)
            {
                ahead.AddRange(BuiltinForecast.Extend(Known(region, good.Series), good.Series.End, now + horizon - good.Series.End, GridDay).Intervals);
            }
            return new RegionForecast(region, new IntensitySeries(good.Series.Region, ahead), ForecastOrigin.LastGood, good.FetchedAt, problem);
        }
        return new RegionForecast(region, BuiltinForecast.Extend(Known(region, good.Series), now, horizon, GridDay), ForecastOrigin.Builtin, good.FetchedAt, problem);
    }

    private async Task SaveAsync(IntensitySeries series, DateTimeOffset now)
    {
        try
        {
            await cache.SaveAsync(series, now, TimeSpan.FromHours(options.CacheHours), options.WallTime(TimeSpan.FromDays(PricedPastDays)));
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogCacheFailed(logger, series.Region, ex.Message);
        }
    }

    private async Task<(IntensitySeries Series, DateTimeOffset FetchedAt)?> LoadAsync(string region)
    {
        try
        {
            return await cache.LoadAsync(region);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogCacheFailed(logger, region, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Carbon provider {Provider} failed for {Region} ({Kind}): {Detail}; using the fallback forecast")]
    private static partial void LogProviderFailed(ILogger logger, string provider, string region, ProviderErrorKind kind, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forecast cache unavailable for {Region}: {Detail}")]
    private static partial void LogCacheFailed(ILogger logger, string region, string detail);
}
