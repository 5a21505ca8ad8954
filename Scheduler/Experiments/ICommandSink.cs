using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>Where dispatched commands go: the reliable per-region queue in the store (ServiceDefaults' CommandQueue).</summary>
public interface ICommandSink
{
    Task EnqueueAsync(string region, TrainerCommand command);

    /// <summary>Commands of the region that no worker has taken yet.</summary>
    Task<long> PendingAsync(string region);
}

/// <summary>Queues commands with the shared CommandProducer (LMOVE-based queue with leases and heartbeats).</summary>
public sealed class QueueCommandSink(CommandProducer producer) : ICommandSink
{
    public async Task EnqueueAsync(string region, TrainerCommand command) => await producer.EnqueueAsync(region, command);

    public async Task<long> PendingAsync(string region) => (await producer.GetCountsAsync(region)).Pending;
}
