using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Worker;

/// <summary>The worker's log messages.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} serves region {Region}")]
    public static partial void Serving(ILogger logger, string worker, string region);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Kind} command {CommandId} ended {Result}")]
    public static partial void CommandEnded(ILogger logger, string experimentId, TrainerCommandKind kind, string commandId, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: training from step {Step} of {TotalSteps} on {Device} (run {RunId})")]
    public static partial void Training(ILogger logger, string experimentId, long step, long totalSteps, string device, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Action}")]
    public static partial void Decision(ILogger logger, string experimentId, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: training waited {Seconds:0.00} s at {Holds} step boundaries for checkpoint saves, so that a crash loses at most one checkpoint interval")]
    public static partial void HeldForSaves(ILogger logger, string experimentId, double seconds, int holds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string experimentId, string reason, Exception? exception = null);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId}: checkpoint {CheckpointId} rejected ({Problem}); trying an older one")]
    public static partial void CheckpointRejected(ILogger logger, string experimentId, string checkpointId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: could not write progress or energy to the store; will retry")]
    public static partial void StoreWriteFailed(ILogger logger, string experimentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: this worker no longer owns the run; stopping without a checkpoint")]
    public static partial void OwnershipLost(ILogger logger, string experimentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The worker loop hit an error; it goes on after a pause")]
    public static partial void LoopError(ILogger logger, Exception exception);
}
