using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;

namespace GreenTrain.Telemetry.Intensity;

/// <summary>Intensity from trace files, one per region, read once and kept, with the shared reader the Scheduler uses.</summary>
public sealed class TraceIntensitySource(IReadOnlyDictionary<string, string> tracePathsByRegion, TracePolicy policy) : IIntensitySource
{
    private readonly Dictionary<string, IntensitySeries> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public Task<IntensitySeries?> GetSeriesAsync(string region, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var path = tracePathsByRegion.FirstOrDefault(p => string.Equals(p.Key, region, StringComparison.OrdinalIgnoreCase)).Value;
        if (path is null)
        {
            return Task.FromResult<IntensitySeries?>(null);
        }
        lock (_gate)
        {
            if (!_loaded.TryGetValue(region, out var series))
            {
                series = TraceReader.ReadFile(path, region, policy);
                _loaded[region] = series;
            }
            return Task.FromResult<IntensitySeries?>(series);
        }
    }
}
