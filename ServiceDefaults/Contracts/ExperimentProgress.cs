namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>Where an experiment's run stands, as the worker reports it (stored lower-case: "running", "paused").</summary>
public enum ExperimentRunState
{
    Queued,
    Running,
    Pausing,
    Paused,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>What the Scheduler (or an operator) wants for an experiment now (stored lower-case: "run", "pause", "cancel").</summary>
public enum DesiredRunState
{
    Run,
    Pause,
    Cancel,
}

/// <summary>
/// An experiment's run as its worker last reported it (hash greentrain:experiment:{id}:progress).
/// </summary>
/// <param name="LastMetricJson">The newest evaluation (step, loss, accuracy, ...) as JSON.</param>
/// <param name="BestMetric">The best validation metric so far (accuracy for classification, loss for language models).</param>
/// <param name="CheckpointId">The newest committed checkpoint; <paramref name="CheckpointStep"/> is its step.</param>
/// <param name="ResumedFromStep">The checkpoint step the current attempt started from (0 for a fresh start).</param>
/// <param name="Worker">The worker that wrote this ("machine:pid" unless configured).</param>
/// <param name="RunId">The run the energy windows are billed to; a resume keeps it.</param>
/// <param name="StoppedAt">Set with Paused when the run stopped at its segment limit (a sweep's rung), not at a pause command: it waits there until the limit is raised.</param>
public sealed record ExperimentProgress(
    string ExperimentId,
    ExperimentRunState State,
    long Step = 0,
    long TotalSteps = 0,
    double Epoch = 0,
    string? LastMetricJson = null,
    double? BestMetric = null,
    string? CheckpointId = null,
    long? CheckpointStep = null,
    long? ResumedFromStep = null,
    string? Region = null,
    string? Worker = null,
    string? RunId = null,
    DateTimeOffset UpdatedAt = default,
    string? Message = null,
    SegmentLimit? StoppedAt = null);

/// <summary>The desired state of an experiment and the command that set it (hash greentrain:experiment:{id}:control).</summary>
public sealed record ExperimentControl(DesiredRunState Desired, DateTimeOffset IssuedAt, string CommandId);
