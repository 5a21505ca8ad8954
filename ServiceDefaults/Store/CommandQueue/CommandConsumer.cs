using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// A Trainer worker's side of a region's queue: takes commands under a lease, renews it, and acknowledges or
/// releases it. Taking uses LMOVE (inside a script that also writes the lease) and waits with a pub/sub
/// wake-up plus polling rather than BLMOVE, because a blocking command would stall every other command
/// multiplexed on the shared connection.
/// </summary>
public sealed partial class CommandConsumer(
    GreenTrainStore store,
    LeaseReaper reaper,
    IOptions<CommandQueueOptions> options,
    TimeProvider time,
    ILogger<CommandConsumer> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<WakeSignal>>> _wakeSignals = new();

    private CommandQueueOptions Settings => options.Value;

    /// <summary>Waits until a command is available for <paramref name="region"/> and takes it.</summary>
    public async Task<QueueLease> TakeAsync(string region, CancellationToken cancellationToken)
    {
        var signal = await GetWakeSignalAsync(region);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            signal.Reset();
            var reaped = await reaper.ReapAsync(region);
            if (reaped.Requeued + reaped.Dead > 0)
            {
                LogReaped(logger, region, reaped.Requeued, reaped.Dead);
            }
            if (await TryTakeAsync(region) is { } lease)
            {
                return lease;
            }
            await signal.WaitAsync(Settings.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Takes the oldest waiting command of <paramref name="region"/>, or returns null when none waits.</summary>
    public async Task<QueueLease?> TryTakeAsync(string region)
    {
        var keys = RegionQueueKeys.For(region);
        while (true)
        {
            var token = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
            var reply = await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Take,
                [keys.Pending, keys.Processing, keys.Leases, keys.Holders, keys.Deliveries],
                [token, (long)Settings.LeaseDuration.TotalMilliseconds]);
            if (reply.IsNull)
            {
                return null;
            }
            var parts = (RedisResult[])reply!;
            var payload = (string)parts[0]!;
            if (CommandPayload.TryDeserialize(payload) is { } command)
            {
                return new QueueLease(region, command, payload, token, StoreTime.FromUnixMs((long)parts[1]), (long)parts[2]);
            }
            // Not a command: park it where an operator can see it, and look at the next one.
            LogUnreadablePayload(logger, region, payload.Length > 200 ? payload[..200] : payload);
            await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Release,
                [keys.Pending, keys.Processing, keys.Leases, keys.Holders, keys.Dead], [payload, token, "dead"]);
        }
    }

    /// <summary>Extends the lease; returns its new expiry, or null when the lease was lost and the command is no longer ours.</summary>
    public async Task<DateTimeOffset?> RenewAsync(QueueLease lease)
    {
        var keys = RegionQueueKeys.For(lease.Region);
        var expires = (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Renew,
            [keys.Leases, keys.Holders], [lease.Payload, lease.Token, (long)Settings.LeaseDuration.TotalMilliseconds]);
        return expires < 0 ? null : StoreTime.FromUnixMs(expires);
    }

    /// <summary>
    /// Marks the command done: removed from the queue and remembered as applied, so a copy seen later is
    /// recognised. Returns false when the lease had been lost (the command is still recorded as applied).
    /// </summary>
    public async Task<bool> AcknowledgeAsync(QueueLease lease)
    {
        var keys = RegionQueueKeys.For(lease.Region);
        var command = lease.Command;
        var reply = (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Acknowledge,
            [keys.Pending, keys.Processing, keys.Leases, keys.Holders, keys.Deliveries,
             StoreKeys.CommandApplied(command.CommandId), StoreKeys.CommandsLastApplied, StoreKeys.CommandQueued(command.CommandId)],
            [lease.Payload, lease.Token, (long)Settings.AppliedRetention.TotalSeconds,
             command.ExperimentId, command.IssuedAt.ToUnixTimeMilliseconds(), command.CommandId]);
        return reply == 1;
    }

    /// <summary>Gives the command back, unapplied, to the front of the queue (a worker shutting down). False when the lease was lost.</summary>
    public async Task<bool> ReleaseAsync(QueueLease lease)
    {
        var keys = RegionQueueKeys.For(lease.Region);
        var reply = (long)await store.Database.ScriptEvaluateAsync(CommandQueueScripts.Release,
            [keys.Pending, keys.Processing, keys.Leases, keys.Holders, keys.Dead], [lease.Payload, lease.Token, "front"]);
        if (reply == 1)
        {
            await store.Connection.GetSubscriber().PublishAsync(keys.Wake, lease.Command.CommandId);
        }
        return reply == 1;
    }

    /// <summary>Renews <paramref name="lease"/> in the background until disposed; its LeaseLost token fires if renewal fails for good.</summary>
    public LeaseHeartbeat KeepAlive(QueueLease lease) => new(this, lease, Settings.HeartbeatInterval, time, logger);

    private async Task<WakeSignal> GetWakeSignalAsync(string region)
    {
        var subscription = _wakeSignals.GetOrAdd(region, r => new(() => SubscribeAsync(r)));
        try
        {
            return await subscription.Value;
        }
        catch
        {
            // Do not remember a failed subscription: the next take tries again once the store is back.
            _wakeSignals.TryRemove(new(region, subscription));
            throw;
        }
    }

    private async Task<WakeSignal> SubscribeAsync(string region)
    {
        var signal = new WakeSignal();
        await store.Connection.GetSubscriber().SubscribeAsync(RegionQueueKeys.For(region).Wake, (_, _) => signal.Set());
        return signal;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requeued {Requeued} command(s) of region {Region} whose lease expired; {Dead} moved to the dead list")]
    private static partial void LogReaped(ILogger logger, string region, long requeued, long dead);

    [LoggerMessage(Level = LogLevel.Error, Message = "A value on the queue of region {Region} is not a command; moved to the dead list: {Payload}")]
    private static partial void LogUnreadablePayload(ILogger logger, string region, string payload);
}
