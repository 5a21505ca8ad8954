using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>A forecast as the SDK routes serve it: its series and when it was generated.</summary>
public sealed record SdkForecast(IntensitySeries Series, DateTimeOffset GeneratedAt);

/// <summary>
/// Where the SDK-compatible routes get their numbers: GreenTrain's own forecast service (the provider's answers, the
/// store's forecast cache, the built-in forecaster), the same the planner uses, never a second copy.
/// </summary>
public sealed class CarbonAwareData(ForecastService forecasts, CarbonOptions options, TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public Task<IntensitySeries> ObservedAsync(string location, CancellationToken cancellationToken) =>
        forecasts.ObservedAsync(location, cancellationToken);

    /// <summary>The forecast the planner uses now (fresh, last good or built-in), or null when the region has none yet.</summary>
    public async Task<SdkForecast?> CurrentAsync(string location, CancellationToken cancellationToken) =>
        await forecasts.GetAsync(location, cancellationToken) is { } current ? new SdkForecast(current.Series, current.FetchedAt) : null;

    /// <summary>
    /// The forecast one could have had at <paramref name="requestedAt"/>: the current one when it was fetched by then,
    /// else the built-in forecaster run on what had been observed by then (nothing later reaches it). Null when nothing
    /// had been observed by then.
    /// </summary>
    public async Task<SdkForecast?> AsOfAsync(string location, DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        if (await forecasts.GetAsync(location, cancellationToken) is { } current && current.FetchedAt <= requestedAt)
        {
            return new SdkForecast(current.Series, current.FetchedAt);
        }
        var observed = await forecasts.ObservedAsync(location, cancellationToken);
        var known = new IntensitySeries(location, observed.Intervals.Where(i => i.End <= requestedAt).ToList(), observed.Source);
        if (known.Intervals.Count == 0)
        {
            return null;
        }
        var horizon = options.WallTime(TimeSpan.FromHours(options.HorizonHours));
        return new SdkForecast(BuiltinForecast.Extend(known, known.End, horizon, options.WallTime(TimeSpan.FromDays(1))), known.End);
    }
}
