using GreenTrain.Scheduler.Intensity;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>Where a region's current forecast came from: fresh from the provider, or one of the fallbacks.</summary>
public enum ForecastOrigin
{
    Provider,
    LastGood,
    Persistence,

    /// <summary>Nothing was ever fetched: the embedded trace, or a flat guess (see BuiltInForecast).</summary>
    BuiltIn,
}

/// <summary>The forecast the planner uses for a region, with its origin and, when it is a fallback, the provider's failure.</summary>
public sealed record RegionForecast(string Region, IntensitySeries Series, ForecastOrigin Origin, DateTimeOffset FetchedAt, string? Problem = null)
{
    public bool Degraded => Origin != ForecastOrigin.Provider;
}
