namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>What happened to a command handed to the queue.</summary>
public enum EnqueueResult
{
    /// <summary>The command is now waiting for a worker.</summary>
    Queued,

    /// <summary>A command with this id was applied already; queuing it again would repeat it.</summary>
    AlreadyApplied,

    /// <summary>The same command is already waiting or being handled.</summary>
    AlreadyQueued,

    /// <summary>Not queued: the leader term it was sent under no longer holds the lease (another Scheduler leads now).</summary>
    NotLeader,
}
