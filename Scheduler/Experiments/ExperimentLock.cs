using GreenTrain.Scheduler.Leadership;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Leadership;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// One writer at a time for experiment records, across every Scheduler replica: replanning and dispatching (on the
/// leader) and the API's pause/resume/cancel (on any replica) each read a record, decide and write it back, and two
/// of them interleaved would lose one decision (or send a start twice). Within a process a semaphore queues callers;
/// across processes a short lease in the store (greentrain:scheduler:records-lock), renewed while held, so a replica
/// that dies holding it blocks the others for at most one lease period.
/// </summary>
public sealed class ExperimentLock(GreenTrainStore store, SchedulerLeadership leadership, IOptions<LeadershipOptions> options)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StoreLease _lease = new(store, StoreKeys.SchedulerRecordsLock, StoreKeys.SchedulerRecordsLockFence);

    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var term = await AcquireAsync(cancellationToken);
            using var holding = new CancellationTokenSource();
            var renewing = RenewWhileHeldAsync(term, holding.Token);
            try
            {
                return await action();
            }
            finally
            {
                await holding.CancelAsync();
                await renewing;
                await _lease.ReleaseAsync(term);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits for the lock; a holder that died leaves it for at most one lease period.</summary>
    private async Task<LeaseTerm> AcquireAsync(CancellationToken cancellationToken)
    {
        var wait = FirstRetry;
        while (true)
        {
            if (await _lease.TryAcquireAsync(leadership.Replica, options.Value.Lease) is { } term)
            {
                return term;
            }
            await Task.Delay(wait, cancellationToken); // back-off between attempts, not synchronisation: the store decides
            wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, wait.Ticks * 2));
        }
    }

    private async Task RenewWhileHeldAsync(LeaseTerm term, CancellationToken held)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(held))
            {
                await _lease.RenewAsync(term, options.Value.Lease);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
