using GreenTrain.ServiceDefaults.Carbon;
namespace GreenTrain.Telemetry.Intensity;

/// <summary>
/// Where a region's intensity over a span of time comes from: a trace file today; the Scheduler's
/// forecast cache in the store once it exists (an implementation of this interface reading that cache).
/// </summary>
public interface IIntensitySource
{
    /// <summary>The series for <paramref name="region"/> covering as much of [from, to] as is known; null when none exists.</summary>
    Task<IntensitySeries?> GetSeriesAsync(string region, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
