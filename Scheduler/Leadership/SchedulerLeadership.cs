using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Leadership;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// Whether this Scheduler replica leads now, and under which term. <see cref="LeaderElection"/> keeps it current;
/// planning and dispatch read <see cref="Term"/> once per pass and send every leader-only write with it, so the store
/// itself refuses the pass of a term that has lapsed (<see cref="LeadershipLostException"/>).
/// </summary>
public sealed class SchedulerLeadership : IReplicaRole
{
    private readonly TimeProvider _clock = TimeProvider.System; // the lease lapses on the store's real clock, never a test's
    private readonly TimeSpan _lease;
    private LeaseTerm? _term;
    private long _heldUntil; // Environment ticks: after this this replica assumes its term lapsed even if no renewal said so

    public SchedulerLeadership(GreenTrainStore store, IOptions<LeadershipOptions> options)
    {
        _lease = options.Value.Lease;
        Replica = options.Value.ReplicaName ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^24];
        Lease = new StoreLease(store, StoreKeys.SchedulerLeader, StoreKeys.SchedulerLeaderFence);
    }

    /// <summary>This replica's name in the lease.</summary>
    public string Replica { get; }

    public StoreLease Lease { get; }

    /// <summary>
    /// The term this replica leads under, or null when it follows. A term not renewed for a lease period is dropped
    /// here too, so a replica cut off from the store stops planning before a successor may have started.
    /// </summary>
    public LeaseTerm? Term
    {
        get
        {
            var term = Volatile.Read(ref _term);
            return term is not null && _clock.GetTimestamp() < Interlocked.Read(ref _heldUntil) ? term : null;
        }
    }

    public bool IsLeader => Term is not null;

    /// <summary>What /info says in Development (ServiceInfoEndpoint): "leader" or "follower".</summary>
    public string Role => IsLeader ? "leader" : "follower";

    /// <summary>Records a term taken or renewed at <paramref name="askedAt"/> (a timestamp from before the request: the store's lease runs from later).</summary>
    internal void Hold(LeaseTerm term, long askedAt)
    {
        Interlocked.Exchange(ref _heldUntil, askedAt + (long)(_lease.TotalSeconds * _clock.TimestampFrequency));
        Volatile.Write(ref _term, term);
    }

    internal void Drop() => Volatile.Write(ref _term, null);

    /// <summary>The store refused <paramref name="term"/>: stop leading under it now rather than at the next renewal.</summary>
    public void Refused(LeaseTerm term) => Interlocked.CompareExchange(ref _term, null, term);

    internal LeaseTerm? Held => Volatile.Read(ref _term);

    internal long Now() => _clock.GetTimestamp();
}
