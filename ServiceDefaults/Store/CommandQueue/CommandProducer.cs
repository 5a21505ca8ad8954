using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Leadership;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>The Scheduler's side of a region's queue: puts commands on it and wakes the workers.</summary>
public sealed class CommandProducer(GreenTrainStore store)
{
    /// <summary>
    /// How long an id stays known as queued when nothing acknowledges or buries it (a region whose workers never come
    /// back): far longer than any command waits in practice, short enough that abandoned markers do not pile up.
    /// </summary>
    public static readonly TimeSpan QueuedMarkerLifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// Queues <paramref name="command"/> for <paramref name="region"/>. Safe to repeat with the same command id
    /// (a retry after a timeout, or a new leader re-deciding its predecessor's step with the same planned id): it is
    /// queued at most once and never after it was applied, whatever its issued-at says. With
    /// <paramref name="leader"/>, only while that leader term still holds its lease (else <see cref="EnqueueResult.NotLeader"/>).
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(string region, TrainerCommand command, LeaseTerm? leader = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var keys = RegionQueueKeys.For(region);
        var payload = CommandPayload.Serialize(command);
        RedisKey applied = StoreKeys.CommandApplied(command.CommandId), queued = StoreKeys.CommandQueued(command.CommandId);
        var lifetime = (long)QueuedMarkerLifetime.TotalSeconds;
        var reply = leader is null
            ? (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Enqueue,
                [keys.Pending, keys.Processing, applied, queued], [payload, lifetime])
            : (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.EnqueueAsLeader,
                [keys.Pending, keys.Processing, applied, queued, leader.Key], [payload, lifetime, leader.Value]);
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
