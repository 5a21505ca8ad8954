using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// Writes checkpoints in the background so the training step pays only for copying its state to host memory.
/// One save runs at a time and at most one more snapshot waits, so memory stays bounded at two snapshots;
/// a third is held back by <see cref="CheckpointBackpressure"/>: the caller waits, or the waiting one is
/// replaced by the newer. Failures are logged and reported in the result, never thrown into the training loop.
/// Dispose flushes: every snapshot accepted before shutdown is written.
/// </summary>
public sealed class BackgroundCheckpointWriter : IAsyncDisposable
{
    private readonly CheckpointStore _store;
    private readonly ILogger _logger;
    private readonly int? _keepLast;
    private readonly Channel<SaveJob> _queue;
    private readonly Task _loop;
    private Task<CheckpointSaveResult> _lastAccepted = Task.FromResult<CheckpointSaveResult>(null!);
    private int _disposed;

    /// <param name="keepLast">Checkpoints to keep per experiment; null uses the store's KeepLast setting.</param>
    public BackgroundCheckpointWriter(CheckpointStore store, ILogger<BackgroundCheckpointWriter> logger,
        CheckpointBackpressure backpressure = CheckpointBackpressure.Wait, int? keepLast = null)
    {
        _store = store;
        _logger = logger;
        _keepLast = keepLast;
        var options = new BoundedChannelOptions(1)
        {
            SingleReader = true,
            FullMode = backpressure == CheckpointBackpressure.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        };
        _queue = Channel.CreateBounded<SaveJob>(options, dropped =>
        {
            CheckpointLog.Superseded(_logger, dropped.Snapshot.ExperimentId, dropped.Snapshot.Step);
            dropped.Done.TrySetResult(new CheckpointSaveResult(dropped.Snapshot, CheckpointSaveStatus.Superseded, null, null, TimeSpan.Zero));
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The result of the newest save that finished, if any.</summary>
    public CheckpointSaveResult? LastResult { get; private set; }

    /// <summary>
    /// Hands <paramref name="snapshot"/> over (its buffers now belong to the writer) and returns once it is
    /// accepted, which is at once unless two saves are already pending in Wait mode. The returned task
    /// completes when the snapshot is committed, superseded or failed; awaiting it is optional.
    /// </summary>
    public async ValueTask<Task<CheckpointSaveResult>> SubmitAsync(CheckpointSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var job = new SaveJob(snapshot, new TaskCompletionSource<CheckpointSaveResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(job, cancellationToken);
        Volatile.Write(ref _lastAccepted, job.Done.Task);
        return job.Done.Task;
    }

    /// <summary>Waits until every snapshot accepted so far has been written (or superseded, or has failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default) =>
        // Saves finish in order and only an older snapshot is ever superseded, so the newest accepted one ends last.
        await Volatile.Read(ref _lastAccepted).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var job in _queue.Reader.ReadAllAsync())
        {
            var watch = Stopwatch.StartNew();
            CheckpointSaveResult result;
            try
            {
                var manifest = await _store.SaveAsync(job.Snapshot, _keepLast);
                result = new CheckpointSaveResult(job.Snapshot, CheckpointSaveStatus.Committed, manifest, null, watch.Elapsed);
            }
            catch (Exception ex)
            {
                CheckpointLog.SaveFailed(_logger, ex, job.Snapshot.ExperimentId, job.Snapshot.Step);
                result = new CheckpointSaveResult(job.Snapshot, CheckpointSaveStatus.Failed, null, ex, watch.Elapsed);
            }
            LastResult = result;
            job.Done.TrySetResult(result);
        }
    }

    private sealed record SaveJob(CheckpointSnapshot Snapshot, TaskCompletionSource<CheckpointSaveResult> Done);
}
