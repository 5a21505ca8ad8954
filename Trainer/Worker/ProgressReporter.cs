using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Experiments;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Keeps an experiment's progress hash current without making the training step wait for the store:
/// the training thread changes the in-memory progress and signals; a background loop writes the newest
/// value (several changes between two writes become one). State changes that must land before the command
/// is acknowledged (paused, completed) use PublishNowAsync. Writes are serialised and always write the
/// newest value, so an older update can never overwrite a newer one.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly ExperimentStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private ExperimentProgress _current;

    public ProgressReporter(ExperimentStore store, ExperimentProgress initial, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _current = initial;
        _loop = Task.Run(LoopAsync);
    }

    public ExperimentProgress Current
    {
        get { lock (_gate) { return _current; } }
    }

    /// <summary>Changes the progress and lets the background loop write it soon (any thread, never blocks on the store).</summary>
    public void Update(Func<ExperimentProgress, ExperimentProgress> change)
    {
        lock (_gate)
        {
            _current = change(_current);
        }
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>Records an evaluation in the experiment's history (the web UI's metric and loss chart) without waiting for the store.</summary>
    public void RecordEvaluation(string evaluationJson)
    {
        try
        {
            _store.AppendEvaluation(Current.ExperimentId, evaluationJson);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            WorkerLog.StoreWriteFailed(_logger, Current.ExperimentId, ex);
        }
    }

    /// <summary>Changes the progress and writes it before returning.</summary>
    public async Task PublishNowAsync(Func<ExperimentProgress, ExperimentProgress> change)
    {
        lock (_gate)
        {
            _current = change(_current);
        }
        await WriteAsync(throwOnError: true);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await _signal.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await WriteAsync(throwOnError: false);
        }
    }

    private async Task WriteAsync(bool throwOnError)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _store.WriteProgressAsync(Current with { UpdatedAt = DateTimeOffset.UtcNow });
        }
        catch (Exception ex) when (!throwOnError && ex is RedisException or TimeoutException)
        {
            WorkerLog.StoreWriteFailed(_logger, Current.ExperimentId, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
