namespace GreenTrain.Telemetry.Intensity;

/// <summary>Intensity from trace files, one per region, read once and kept.</summary>
public sealed class TraceIntensitySource(IReadOnlyDictionary<string, string> tracePathsByRegion, TimeZoneInfo timeZone) : IIntensitySource
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
                series = TraceFile.Read(path, region, timeZone);
                _loaded[region] = series;
            }
            return Task.FromResult<IntensitySeries?>(series);
        }
    }
}
