using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Worker;

/// <summary>Why a worker's training run stopped.</summary>
internal enum RunEndKind
{
    /// <summary>All steps done, or the target or early stopping ended it: a final checkpoint holds the result.</summary>
    Completed,

    /// <summary>The desired state became pause: a checkpoint was written at the stop.</summary>
    Paused,

    /// <summary>
    /// The run reached its segment limit (a sweep's rung): evaluated, checkpointed, and reported paused there until the
    /// Scheduler raises the limit and resumes it. Unlike a pause, a newer Run command does not send it on.
    /// </summary>
    SegmentDone,

    /// <summary>The desired state became cancel: stopped without a new checkpoint.</summary>
    Cancelled,

    /// <summary>The worker is shutting down: a checkpoint was written and the command goes back to the queue.</summary>
    Shutdown,

    /// <summary>The command's lease or the experiment's ownership was lost: another worker may run it now, so nothing more was written.</summary>
    OwnershipLost,
}

/// <param name="StoppedAt">The limit a <see cref="RunEndKind.SegmentDone"/> run stopped at.</param>
internal sealed record RunEnd(RunEndKind Kind, long Step, string Message, EvaluationRecord? Final, SplitScore? Test, SegmentLimit? StoppedAt = null);

/// <summary>When the worker checkpoints: every N steps and/or T seconds, whichever comes first (and always on pause).</summary>
public sealed record CheckpointCadence(int? EverySteps, double? EverySeconds);
