using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// A source of grid carbon intensity for a region: the latest actual values it has and its forecast, as
/// intervals in wall-clock time. Failures are <see cref="IntensityProviderException"/>s; nothing else escapes.
/// </summary>
public interface IIntensityProvider
{
    string Name { get; }

    Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken);
}
