using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>Where dispatched commands go: the reliable per-region queue in the store (ServiceDefaults' CommandQueue).</summary>
public interface ICommandSink
{
    Task EnqueueAsync(string region, TrainerCommand command);

    /// <summary>Commands of the region that no worker has taken yet.</summary>
    Task<long> PendingAsync(string region);

    /// <summary>Whether some worker serves the region's queue now (its presence heartbeat has not lapsed).</summary>
    Task<bool> HasLiveWorkerAsync(string region);
}

/// <summary>Queues commands with the shared CommandProducer (LMOVE-based queue with leases and heartbeats).</summary>
public sealed class QueueCommandSink(CommandProducer producer, WorkerPresence workers) : ICommandSink
{
    public async Task EnqueueAsync(string region, TrainerCommand command) => await producer.EnqueueAsync(region, command);

    public async Task<long> PendingAsync(string region) => (await producer.GetCountsAsync(region)).Pending;

    public async Task<bool> HasLiveWorkerAsync(string region) => await workers.CountLiveAsync(region) > 0;
}
