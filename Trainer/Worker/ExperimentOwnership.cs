using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Worker;

/// <summary>Who holds an experiment: the worker name and the command it trains under.</summary>
public sealed record ExperimentOwner(string Worker, string CommandId);

/// <summary>A held claim on an experiment; only its holder can renew or release it.</summary>
public sealed record OwnershipClaim(string ExperimentId, string Value);

/// <summary>
/// At most one worker trains an experiment at a time, whatever commands arrive: the worker that trains
/// holds greentrain:experiment:{id}:owner, a value with an expiry (the queue's lease duration) that it
/// renews while it trains. A worker that dies stops renewing, so the claim lapses about when its queued
/// command's lease does, and whoever takes the requeued command can claim the experiment.
/// </summary>
public sealed class ExperimentOwnership(GreenTrainStore store, IOptions<CommandQueueOptions> queue)
{
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """;

    public TimeSpan Ttl => queue.Value.LeaseDuration;

    /// <summary>How often a holder renews: the queue's heartbeat interval, well inside the expiry.</summary>
    public TimeSpan RenewEvery => queue.Value.HeartbeatInterval;

    public async Task<OwnershipClaim?> TryClaimAsync(string experimentId, string worker, string commandId)
    {
        var value = $"{worker}|{commandId}|{Guid.NewGuid():N}";
        var claimed = await store.Database.StringSetAsync(StoreKeys.ExperimentOwner(experimentId), value, Ttl, When.NotExists);
        return claimed ? new OwnershipClaim(experimentId, value) : null;
    }

    public async Task<ExperimentOwner?> GetOwnerAsync(string experimentId)
    {
        var value = (string?)await store.Database.StringGetAsync(StoreKeys.ExperimentOwner(experimentId));
        var parts = value?.Split('|');
        return parts is { Length: 3 } ? new ExperimentOwner(parts[0], parts[1]) : null;
    }

    /// <summary>
    /// Whether the worker holding <paramref name="experimentId"/> is alive: true once its claim is seen renewed,
    /// false once the claim lapses or changes hands (a dead holder stops renewing). Waits at most one expiry,
    /// polling the claim's remaining time; a live holder renews every <see cref="RenewEvery"/>.
    /// </summary>
    public async Task<bool> IsHolderAliveAsync(string experimentId, CancellationToken cancellationToken)
    {
        var key = StoreKeys.ExperimentOwner(experimentId);
        var held = (string?)await store.Database.StringGetAsync(key);
        var remaining = await store.Database.KeyTimeToLiveAsync(key);
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(RenewEvery.TotalMilliseconds / 10, 10, 250));
        while (held is not null && remaining is { } before)
        {
            await Task.Delay(poll, cancellationToken);
            if ((string?)await store.Database.StringGetAsync(key) != held)
            {
                return false;
            }
            remaining = await store.Database.KeyTimeToLiveAsync(key);
            if (remaining > before)
            {
                return true; // renewed since we first looked
            }
        }
        return false;
    }

    /// <summary>False when the claim is gone (it lapsed and someone else may hold the experiment now).</summary>
    public async Task<bool> RenewAsync(OwnershipClaim claim) =>
        (long)await store.Database.ScriptEvaluateAsync(RenewScript, [StoreKeys.ExperimentOwner(claim.ExperimentId)],
            [claim.Value, (long)Ttl.TotalMilliseconds]) == 1;

    public async Task ReleaseAsync(OwnershipClaim claim) =>
        await store.Database.ScriptEvaluateAsync(ReleaseScript, [StoreKeys.ExperimentOwner(claim.ExperimentId)], [claim.Value]);
}
