using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// Puts back on the queue every command whose worker stopped renewing its lease (crashed, hung, cut off).
/// Safe to run from any process at any time: the check and the move happen in one script. Workers run it
/// before each take, so a region with at least one live worker heals itself.
/// </summary>
public sealed class LeaseReaper(GreenTrainStore store, IOptions<CommandQueueOptions> options)
{
    public async Task<ReapResult> ReapAsync(string region)
    {
        var keys = RegionQueueKeys.For(region);
        var settings = options.Value;
        var reply = (RedisResult[])(await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Reap,
            [keys.Pending, keys.Processing, keys.Leases, keys.Holders, keys.Deliveries, keys.Dead],
            [(long)settings.LeaseDuration.TotalMilliseconds, settings.MaxDeliveries]))!;
        // A buried command is no longer queued: forget its id so an operator (or a producer) may queue it again.
        // After the script, not in it: the ids sit inside the payloads, and Lua here has no JSON reader.
        foreach (var buried in reply.Skip(2))
        {
            if (CommandPayload.TryDeserialize((string)buried!) is { } command)
            {
                await store.Database.KeyDeleteAsync(StoreKeys.CommandQueued(command.CommandId));
            }
        }
        return new ReapResult((long)reply[0], (long)reply[1]);
    }
}

/// <summary>How many expired commands went back to the queue, and how many to the dead list.</summary>
public sealed record ReapResult(long Requeued, long Dead);
