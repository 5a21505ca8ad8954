using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Leadership;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>Where dispatched commands go: the reliable per-region queue in the store (ServiceDefaults' CommandQueue).</summary>
public interface ICommandSink
{
    /// <summary>Queues the command; with <paramref name="leader"/>, only while that term leads (else NotLeader).</summary>
    Task<EnqueueResult> EnqueueAsync(string region, TrainerCommand command, LeaseTerm? leader = null);

    /// <summary>Commands of the region that no worker has taken yet.</summary>
    Task<long> PendingAsync(string region);

    /// <summary>Whether some worker serves the region's queue now (its presence heartbeat has not lapsed).</summary>
    Task<bool> HasLiveWorkerAsync(string region);
}

/// <summary>Queues commands with the shared CommandProducer (LMOVE-based queue with leases and heartbeats).</summary>
public sealed class QueueCommandSink(CommandProducer producer, WorkerPresence workers) : ICommandSink
{
    public Task<EnqueueResult> EnqueueAsync(string region, TrainerCommand command, LeaseTerm? leader = null) => producer.EnqueueAsync(region, command, leader);

    public async Task<long> PendingAsync(string region) => (await producer.GetCountsAsync(region)).Pending;

    public async Task<bool> HasLiveWorkerAsync(string region) => await workers.CountLiveAsync(region) > 0;
}
