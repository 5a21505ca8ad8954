using GreenTrain.ServiceDefaults.Carbon;
namespace GreenTrain.Telemetry.Intensity;

/// <summary>Asks each source in turn and answers with the first series found: a configured trace wins over the Scheduler's cache.</summary>
public sealed class FirstIntensitySource(params IIntensitySource[] sources) : IIntensitySource
{
    public async Task<IntensitySeries?> GetSeriesAsync(string region, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        foreach (var source in sources)
        {
            if (await source.GetSeriesAsync(region, from, to, cancellationToken) is { } series)
            {
                return series;
            }
        }
        return null;
    }
}
