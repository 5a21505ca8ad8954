using System.Collections.Concurrent;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>
/// The sweeps this replica's runner is running, each with the token that stops it: POST /sweeps/{id}/cancel on this
/// replica stops the runner at once; on another replica the runner sees CancelRequested in the record the next time it
/// reads it (every progress message of its trial, and every Sweeps:PollSeconds).
/// </summary>
public sealed class SweepCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public CancellationTokenSource Register(string sweepId, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[sweepId] = source;
        return source;
    }

    public void Unregister(string sweepId) => _running.TryRemove(sweepId, out _);

    /// <summary>True when this replica was running it.</summary>
    public bool Cancel(string sweepId)
    {
        if (!_running.TryGetValue(sweepId, out var source)) return false;
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended between the look-up and the cancel: nothing left to stop.
        }
        return true;
    }
}
