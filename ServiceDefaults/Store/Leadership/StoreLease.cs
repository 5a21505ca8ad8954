using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.Leadership;

/// <summary>
/// A lease in the store that one owner at a time holds for a time to live and must renew before it lapses. The
/// value held, <see cref="LeaseTerm"/>, carries a fencing number: writes that only the holder may make check it in
/// the same script (<see cref="LeaseTerm.Matches"/>), so a holder that stalled past its lease (a long pause, a
/// partition) and resumes believing it still leads is refused by the store instead of acting twice.
/// </summary>
public sealed class StoreLease(GreenTrainStore store, string key, string fenceKey)
{
    public string Key => key;

    /// <summary>Takes the lease for <paramref name="owner"/> when nobody holds it; null when another does.</summary>
    public async Task<LeaseTerm?> TryAcquireAsync(string owner, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var reply = await store.Database.ScriptEvaluateAsync(LeaseScripts.Acquire, [key, fenceKey], [owner, Milliseconds(ttl)]);
        return reply.IsNull || reply.Resp2Type == ResultType.Integer ? null : LeaseTerm.Parse(key, (string)reply!);
    }

    /// <summary>Extends the term by <paramref name="ttl"/> from now; false when it was lost (lapsed, and maybe taken by another).</summary>
    public async Task<bool> RenewAsync(LeaseTerm term, TimeSpan ttl) =>
        (long)await store.Database.ScriptEvaluateAsync(LeaseScripts.Renew, [key], [term.Value, Milliseconds(ttl)]) == 1;

    /// <summary>Gives the term up so that another may take the lease at once; false when it had been lost already.</summary>
    public async Task<bool> ReleaseAsync(LeaseTerm term) =>
        (long)await store.Database.ScriptEvaluateAsync(LeaseScripts.Release, [key], [term.Value]) == 1;

    /// <summary>Who holds the lease now, or null when nobody does.</summary>
    public async Task<LeaseTerm?> ReadAsync() =>
        await store.Database.StringGetAsync(key) is { HasValue: true } value ? LeaseTerm.Parse(key, value!) : null;

    private static long Milliseconds(TimeSpan ttl) =>
        ttl > TimeSpan.Zero ? (long)Math.Ceiling(ttl.TotalMilliseconds) : throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a lease lives a positive time");
}
