using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Leadership;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>The Scheduler's side of a region's queue: puts commands on it and wakes the workers.</summary>
public sealed class CommandProducer(GreenTrainStore store)
{
    /// <summary>
    /// Queues <paramref name="command"/> for <paramref name="region"/>. Safe to repeat with the same command
    /// (a retry after a timeout): it is queued at most once and never after it was applied. With
    /// <paramref name="leader"/>, only while that leader term still holds its lease (else <see cref="EnqueueResult.NotLeader"/>).
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(string region, TrainerCommand command, LeaseTerm? leader = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var keys = RegionQueueKeys.For(region);
        var payload = CommandPayload.Serialize(command);
        var reply = leader is null
            ? (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Enqueue,
                [keys.Pending, keys.Processing, StoreKeys.CommandApplied(command.CommandId)], [payload])
            : (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.EnqueueAsLeader,
                [keys.Pending, keys.Processing, StoreKeys.CommandApplied(command.CommandId), leader.Key], [payload, leader.Value]);
        if (reply != 1)
        {
            return reply switch { 0 => EnqueueResult.AlreadyApplied, -2 => EnqueueResult.NotLeader, _ => EnqueueResult.AlreadyQueued };
        }
        // Only a wake-up: a worker that misses it still finds the command on its next poll.
        await store.Connection.GetSubscriber().PublishAsync(keys.Wake, command.CommandId);
        return EnqueueResult.Queued;
    }

    /// <summary>How many commands of the region wait, are being handled, and were given up on.</summary>
    public async Task<QueueCounts> GetCountsAsync(string region)
    {
        var keys = RegionQueueKeys.For(region);
        var batch = store.Database.CreateBatch();
        var pending = batch.ListLengthAsync(keys.Pending);
        var processing = batch.ListLengthAsync(keys.Processing);
        var dead = batch.ListLengthAsync(keys.Dead);
        batch.Execute();
        return new QueueCounts(await pending, await processing, await dead);
    }
}

/// <summary>A snapshot of one region's queue.</summary>
public sealed record QueueCounts(long Pending, long Processing, long Dead);
