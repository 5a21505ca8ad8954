namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// One writer at a time for experiment records within this Scheduler: replanning, dispatching and the API's
/// pause/resume/cancel each read a record, decide and write it back, and two of them interleaved would lose
/// one decision (or send a start twice). The Scheduler runs as a single instance, so a process-wide lock is enough.
/// </summary>
public sealed class ExperimentLock
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }
}
