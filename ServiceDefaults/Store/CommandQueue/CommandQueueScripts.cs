namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// The Lua scripts behind the queue. Each one makes a check and the moves that depend on it atomic, so two
/// workers, or a worker and the reaper, never both act on one command. Times come from the store's own
/// clock (TIME), so workers on machines whose clocks disagree still agree on when a lease expires.
/// Only commands Redis 7 and Garnet 2.2 both serve from Lua are used (no streams, no cjson).
/// </summary>
internal static class CommandQueueScripts
{
    private const string Now =
        "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    /// <summary>
    /// KEYS: pending, processing, applied; ARGV: payload. Queues the command unless it was already applied or
    /// is already queued or taken, so a producer retrying after a lost reply does not queue it twice.
    /// Returns 1 when queued, 0 when it was applied already, -1 when it is already on the queue.
    /// </summary>
    public const string Enqueue = """
        if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        if redis.call('LPOS', KEYS[1], ARGV[1]) or redis.call('LPOS', KEYS[2], ARGV[1]) then return -1 end
        redis.call('LPUSH', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: pending, processing, applied, leader lease; ARGV: payload, leader term. As <see cref="Enqueue"/>, but only
    /// while the caller's leader term still holds the lease (the check and the push are one step): a Scheduler that
    /// stalled past its lease and resumes cannot queue a command its successor decides for itself.
    /// Returns -2 when the term no longer leads.
    /// </summary>
    public const string EnqueueAsLeader = """
        if redis.call('GET', KEYS[4]) ~= ARGV[2] then return -2 end
        if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        if redis.call('LPOS', KEYS[1], ARGV[1]) or redis.call('LPOS', KEYS[2], ARGV[1]) then return -1 end
        redis.call('LPUSH', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: pending, processing, leases, holders, deliveries; ARGV: token, lease ms.
    /// Moves the oldest command to processing and leases it in one step, so no taken command is ever without
    /// a lease. Returns nil when the queue is empty, else { payload, expiry ms, deliveries }.
    /// </summary>
    public const string Take = Now + """
        local payload = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
        if not payload then return nil end
        local expires = now + tonumber(ARGV[2])
        redis.call('ZADD', KEYS[3], string.format('%d', expires), payload)
        redis.call('HSET', KEYS[4], payload, ARGV[1])
        local deliveries = redis.call('HINCRBY', KEYS[5], payload, 1)
        return { payload, string.format('%d', expires), deliveries }
        """;

    /// <summary>
    /// KEYS: leases, holders; ARGV: payload, token, lease ms. Extends the lease if the caller still holds it.
    /// Returns the new expiry in ms, or -1 when the lease was lost (expired and reaped, or taken by another).
    /// </summary>
    public const string Renew = Now + """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return -1 end
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
        local expires = now + tonumber(ARGV[3])
        redis.call('ZADD', KEYS[1], string.format('%d', expires), ARGV[1])
        return string.format('%d', expires)
        """;

    /// <summary>
    /// KEYS: pending, processing, leases, holders, deliveries, applied, last-applied;
    /// ARGV: payload, token, retention s, experiment id, issued-at ms, command id.
    /// Finishes a command: removes it from processing (if still held) and records it as applied, both at once,
    /// so no moment exists where it is gone from the queue but not known as applied. A worker whose lease was
    /// lost still records the command as applied, and removes a requeued copy nobody has taken yet.
    /// Returns 1 when the caller held the lease, 0 when it had been lost.
    /// </summary>
    public const string Acknowledge = """
        local held = redis.call('HGET', KEYS[4], ARGV[1]) == ARGV[2]
        if held then
          redis.call('LREM', KEYS[2], 1, ARGV[1])
          redis.call('ZREM', KEYS[3], ARGV[1])
          redis.call('HDEL', KEYS[4], ARGV[1])
          redis.call('HDEL', KEYS[5], ARGV[1])
        elseif redis.call('LREM', KEYS[1], 0, ARGV[1]) > 0 and not redis.call('HGET', KEYS[4], ARGV[1]) then
          redis.call('HDEL', KEYS[5], ARGV[1])
        end
        redis.call('SET', KEYS[6], ARGV[5], 'EX', ARGV[3])
        local last = redis.call('HGET', KEYS[7], ARGV[4])
        if (not last) or tonumber(string.match(last, '^(%d+)')) <= tonumber(ARGV[5]) then
          redis.call('HSET', KEYS[7], ARGV[4], ARGV[5] .. ':' .. ARGV[6])
        end
        if held then return 1 end
        return 0
        """;

    /// <summary>
    /// KEYS: pending, processing, leases, holders, target; ARGV: payload, token, 'front' or 'dead'.
    /// Gives a held command back without applying it: to the front of the queue (a worker shutting down), or
    /// to the dead list (a payload that is not a command). Returns 1 when done, 0 when the lease was lost.
    /// </summary>
    public const string Release = """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('LREM', KEYS[2], 1, ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        if ARGV[3] == 'dead' then redis.call('LPUSH', KEYS[5], ARGV[1]) else redis.call('RPUSH', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>
    /// KEYS: pending, processing, leases, holders, deliveries, dead; ARGV: grace ms, max deliveries.
    /// Requeues every command whose lease has expired (at the front, so it runs next), or moves it to the dead
    /// list once it has been taken max-deliveries times. A command in processing without any lease (left by a
    /// tool or an older version) first gets a grace lease, so it is requeued rather than stuck for ever.
    /// Returns { requeued, dead }.
    /// </summary>
    public const string Reap = Now + """
        for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
          if not redis.call('ZSCORE', KEYS[3], item) then
            redis.call('ZADD', KEYS[3], string.format('%d', now + tonumber(ARGV[1])), item)
          end
        end
        local requeued, dead = 0, 0
        for _, item in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', string.format('%d', now))) do
          redis.call('ZREM', KEYS[3], item)
          redis.call('HDEL', KEYS[4], item)
          if redis.call('LREM', KEYS[2], 1, item) > 0 then
            if (tonumber(redis.call('HGET', KEYS[5], item)) or 0) >= tonumber(ARGV[2]) then
              redis.call('HDEL', KEYS[5], item)
              redis.call('LPUSH', KEYS[6], item)
              dead = dead + 1
            else
              redis.call('RPUSH', KEYS[1], item)
              requeued = requeued + 1
            end
          end
        end
        return { requeued, dead }
        """;
}
