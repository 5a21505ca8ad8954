using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>The checkpoint store's log messages.</summary>
internal static partial class CheckpointLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {CheckpointId} of experiment {ExperimentId} committed at step {Step}: {Bytes} bytes in {Chunks} chunks, {Milliseconds:F0} ms")]
    public static partial void Committed(ILogger logger, string checkpointId, string experimentId, long step, long bytes, int chunks, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkpoint {CheckpointId} of experiment {ExperimentId} is unusable ({Problem}: {Detail}); falling back to an older one")]
    public static partial void Rejected(ILogger logger, string checkpointId, string experimentId, CheckpointProblem problem, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored checkpoint {CheckpointId} of experiment {ExperimentId} at step {Step}: {Bytes} bytes in {Milliseconds:F0} ms")]
    public static partial void Restored(ILogger logger, string checkpointId, string experimentId, long step, long bytes, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No usable checkpoint for experiment {ExperimentId} and spec {SpecHash} ({Rejected} rejected)")]
    public static partial void NoneFound(ILogger logger, string experimentId, string specHash, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted checkpoint {CheckpointId} of experiment {ExperimentId} ({Reason})")]
    public static partial void Deleted(ILogger logger, string checkpointId, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving the checkpoint of experiment {ExperimentId} at step {Step} failed; the next save will try again")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string experimentId, long step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint of experiment {ExperimentId} at step {Step} dropped: a newer one replaced it before it started")]
    public static partial void Superseded(ILogger logger, string experimentId, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete old checkpoints of experiment {ExperimentId}; the next save will try again")]
    public static partial void PruneFailed(ILogger logger, Exception exception, string experimentId);
}
