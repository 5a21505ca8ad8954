namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// One training experiment as a user writes it: what to train on, what to train, how, how often to
/// checkpoint, and the carbon constraints the Scheduler plans with. The Trainer's CLI and the
/// Scheduler's API take the same document (JSON, camelCase, enums as strings: see ExperimentSpecJson);
/// ExperimentSpecValidator names every bad field by its JSON path. Defaults give a run that works:
/// an MLP on the embedded digits data set.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>Shown in logs, reports and result files.</summary>
    public string Name { get; init; } = "experiment";

    public DatasetSpec Dataset { get; init; } = new();

    public ModelSpec Model { get; init; } = new();

    public TrainingSpec Training { get; init; } = new();

    public CheckpointPolicy Checkpoint { get; init; } = new();

    public CarbonSpec Carbon { get; init; } = new();
}
