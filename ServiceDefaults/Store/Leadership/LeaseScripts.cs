namespace GreenTrain.ServiceDefaults.Store.Leadership;

/// <summary>
/// The Lua scripts behind <see cref="StoreLease"/>. Each makes its check and the write that depends on it one
/// atomic step in the store, so two contenders never both believe they hold the lease. Only commands Redis 7 and
/// Garnet 2.2 both serve from Lua (GET, SET with NX/PX, PEXPIRE, INCR, DEL).
/// </summary>
internal static class LeaseScripts
{
    /// <summary>
    /// KEYS: lease, fence counter; ARGV: owner, ttl ms. Takes the lease when nobody holds it: the holder's value is
    /// "owner:fence" with a fence number larger than any before, so a later term is always told apart from an earlier
    /// one, even of the same owner. Returns the value now held, or false when another holds it.
    /// </summary>
    public const string Acquire = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return false end
        local fence = redis.call('INCR', KEYS[2])
        local value = ARGV[1] .. ':' .. fence
        redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
        return value
        """;

    /// <summary>KEYS: lease; ARGV: value held, ttl ms. Extends the lease if the caller still holds this term. Returns 1, or 0 when lost.</summary>
    public const string Renew = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: lease; ARGV: value held. Gives the lease up if the caller still holds this term (a clean stop). Returns 1 or 0.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1
        """;
}
