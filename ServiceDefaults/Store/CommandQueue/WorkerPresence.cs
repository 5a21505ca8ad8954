using Microsoft.Extensions.Options;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// Which workers serve a region's queue right now, busy or idle: each renews its entry every heartbeat with an expiry
/// one lease ahead (store clock), and removes it when it stops. A killed worker's entry lapses a lease after its last
/// heartbeat, so "no live worker" means what a stuck command needs to know: nobody will take it from that queue.
/// </summary>
public sealed class WorkerPresence(GreenTrainStore store, IOptions<CommandQueueOptions> options)
{
    private const string Now =
        "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    /// <summary>KEYS: workers; ARGV: worker id, lease ms. Renews this worker and drops entries that lapsed.</summary>
    private const string AnnounceScript = Now + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])
        return 1
        """;

    /// <summary>KEYS: workers. How many entries have not lapsed.</summary>
    private const string CountScript = Now + "return redis.call('ZCOUNT', KEYS[1], now, '+inf')";

    /// <summary>How often a worker should announce itself: the queue's heartbeat, well inside the lease.</summary>
    public TimeSpan RenewEvery => options.Value.HeartbeatInterval;

    public async Task AnnounceAsync(string region, string workerId) =>
        await store.Database.ScriptEvaluateAsync(AnnounceScript, [StoreKeys.QueueWorkers(region)],
            [workerId, (long)options.Value.LeaseDuration.TotalMilliseconds]);

    public async Task WithdrawAsync(string region, string workerId) =>
        await store.Database.SortedSetRemoveAsync(StoreKeys.QueueWorkers(region), workerId);

    public async Task<long> CountLiveAsync(string region) =>
        (long)await store.Database.ScriptEvaluateAsync(CountScript, [StoreKeys.QueueWorkers(region)]);
}
