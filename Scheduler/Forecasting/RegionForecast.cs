using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>Where a region's current forecast came from: fresh from the provider, or one of the fallbacks.</summary>
public enum ForecastOrigin
{
    Provider,
    LastGood,
    /// <summary>The built-in forecaster's, learnt from the region's history (BuiltinForecast).</summary>
    Builtin,

    /// <summary>Nothing was ever fetched: the built-in forecaster on the embedded trace, or a flat guess (NeverFetchedForecast).</summary>
    NeverFetched,
}

/// <summary>The forecast the planner uses for a region, with its origin and, when it is a fallback, the provider's failure.</summary>
public sealed record RegionForecast(string Region, IntensitySeries Series, ForecastOrigin Origin, DateTimeOffset FetchedAt, string? Problem = null)
{
    public bool Degraded => Origin != ForecastOrigin.Provider;
}
