using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>How one taken command ended.</summary>
public enum CommandResult
{
    /// <summary>The handler ran to completion and the command was acknowledged.</summary>
    Applied,

    /// <summary>The same command was applied before; acknowledged without running the handler.</summary>
    SkippedDuplicate,

    /// <summary>A newer command for the experiment was applied before; acknowledged without running the handler.</summary>
    SkippedSuperseded,

    /// <summary>The lease was lost while handling; the handler was cancelled and the command left to whoever holds it now.</summary>
    LeaseLost,

    /// <summary>The handler threw; the command was not acknowledged and returns to the queue when its lease expires.</summary>
    Failed,
}

public sealed record CommandOutcome(TrainerCommand Command, CommandResult Result, long Deliveries, Exception? Error = null);
