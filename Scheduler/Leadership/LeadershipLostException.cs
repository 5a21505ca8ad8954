namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// The store refused a leader-only write (a command, a record): this replica's term no longer holds the lease. The
/// pass that made it stops where it is; the current leader decides again from the records in the store.
/// </summary>
public sealed class LeadershipLostException(string what) : Exception($"Not the leader any more: {what} was refused by the store");
