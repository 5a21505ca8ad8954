namespace GreenTrain.Scheduler.Providers;

/// <summary>Why a provider gave no usable intensity; each kind has its own fallback and health message.</summary>
public enum ProviderErrorKind
{
    Timeout,
    Unreachable,
    Unauthorized,
    RateLimited,
    HttpError,
    Malformed,
    NoData,
    UnknownRegion,
}

/// <summary>A provider failure, typed so the forecast service can fall back and the health check can say what went wrong.</summary>
public sealed class IntensityProviderException(string provider, ProviderErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{provider}: {message}", inner)
{
    public string Provider { get; } = provider;

    public ProviderErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="ProviderErrorKind.RateLimited"/>: how long the provider asked us to wait.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
