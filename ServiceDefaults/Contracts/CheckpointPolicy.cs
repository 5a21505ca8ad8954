namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>When the Trainer saves a checkpoint: every N steps and/or every T seconds (whichever comes first), and always on pause.</summary>
public sealed record CheckpointPolicy
{
    /// <summary>Checkpoint every this many optimizer steps; null for no step trigger.</summary>
    public int? EverySteps { get; init; }

    /// <summary>Checkpoint when this many seconds of training have passed since the last one; null for no time trigger.</summary>
    public double? EverySeconds { get; init; } = 600;

    /// <summary>How many of the newest checkpoints to keep.</summary>
    public int KeepLast { get; init; } = 2;
}
