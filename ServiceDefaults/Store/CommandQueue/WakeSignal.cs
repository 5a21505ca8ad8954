namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// Set by a pub/sub message that a command was queued; an idle worker waits on it or on its poll interval,
/// whichever comes first. Reset before each look at the queue, so a message that arrives while looking
/// is not lost.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _signal = New();

    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    public void Reset()
    {
        var current = Volatile.Read(ref _signal);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, New(), current);
        }
    }

    /// <summary>Completes when set or when <paramref name="timeout"/> has passed; throws only on cancellation.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _signal).Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The poll interval passed: look anyway, a wake-up may have been missed.
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
