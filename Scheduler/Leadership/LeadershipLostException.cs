using GreenTrain.ServiceDefaults.Store.Leadership;

namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// The store refused a leader-only write (a command, a record) made under <see cref="Term"/>: that term no longer holds
/// the lease. The pass that made it stops where it is; the current leader decides again from the records in the store.
/// </summary>
public sealed class LeadershipLostException(LeaseTerm term, string what)
    : Exception($"Not the leader any more: {what} under term {term.Fence} was refused by the store")
{
    public LeaseTerm Term { get; } = term;
}
