using System.Collections.Concurrent;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// Replays a recorded trace on the wall clock, the default when no carbon API is configured: trace time
/// runs <c>speedUp</c> times faster than the wall clock from <c>traceStart</c> at the moment the provider was
/// created, so at 96x a day of the grid passes in 15 minutes and a local demo sees clean and dirty hours
/// within minutes. At the trace's end replay starts again from <c>traceStart</c>. The "forecast" is the trace ahead (a perfect one).
/// Regions are the embedded traces (DE, FR, GB) or files named in options.
/// </summary>
public sealed class TraceReplayProvider : IIntensityProvider
{
    public const string ProviderName = "trace-replay";
    private readonly ConcurrentDictionary<string, IntensitySeries> _traces = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, string> _files;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;

    public TraceReplayProvider(TraceReplayOptions options, TimeProvider time)
    {
        Options = options;
        _time = time;
        _origin = time.GetUtcNow();
        _files = options.Files;
    }

    public TraceReplayOptions Options { get; }

    public string Name => ProviderName;

    /// <summary>The trace moment that corresponds to a wall-clock moment (before wrapping).</summary>
    public DateTimeOffset TraceTimeAt(DateTimeOffset wall) => Options.TraceStart + (wall - _origin) * Options.SpeedUp;

    public Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken)
    {
        IntensitySeries trace;
        try
        {
            trace = _traces.GetOrAdd(region, r => (_files.TryGetValue(r, out var file) ? ShippedTraces.ReadFile(file, r) : ShippedTraces.ReadEmbedded(r))
                .Slice(Options.TraceStart, DateTimeOffset.MaxValue));
        }
        catch (TraceFormatException ex)
        {
            // A configured file that cannot be read is a broken file, not a region nobody knows.
            var kind = _files.ContainsKey(region) ? ProviderErrorKind.Malformed : ProviderErrorKind.UnknownRegion;
            var detail = _files.TryGetValue(region, out var file) ? $"trace file for {region} (Carbon:Replay:Files:{region}) cannot be read: {ex.Message}" : ex.Message;
            throw new IntensityProviderException(Name, kind, detail, inner: ex);
        }
        if (trace.Intervals.Count == 0)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"the {region} trace has nothing after {Options.TraceStart:O}");
        }
        var span = trace.End - Options.TraceStart;
        var now = _time.GetUtcNow();
        var elapsed = (now - _origin) * Options.SpeedUp;
        var cycle = (long)(elapsed / span);
        var position = Options.TraceStart + (elapsed - span * cycle);
        var horizon = TimeSpan.FromHours(Options.HorizonHours);
        var index = FirstEndingAfter(trace, position);
        var covered = TimeSpan.Zero;
        var intervals = new List<IntensityInterval>();
        while (covered < horizon)
        {
            var interval = trace.Intervals[index];
            var offset = span * cycle + (interval.Start - Options.TraceStart);
            var start = _origin + offset / Options.SpeedUp;
            intervals.Add(interval with { Start = start, End = start + interval.Duration / Options.SpeedUp, Source = Name, Region = region.ToUpperInvariant() });
            covered += interval.Duration;
            if (++index == trace.Intervals.Count)
            {
                (index, cycle) = (0, cycle + 1);
            }
        }
        return Task.FromResult(new IntensitySeries(region.ToUpperInvariant(), intervals));
    }

    private static int FirstEndingAfter(IntensitySeries trace, DateTimeOffset moment)
    {
        int lo = 0, hi = trace.Intervals.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (trace.Intervals[mid].End <= moment)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
