namespace GreenTrain.Trainer.Checkpoints;

/// <summary>How a checkpoint handed to the background writer ended.</summary>
public enum CheckpointSaveStatus
{
    /// <summary>Written and committed; <see cref="CheckpointSaveResult.Manifest"/> describes it.</summary>
    Committed,

    /// <summary>Dropped before it started, because a newer snapshot arrived while the writer was busy (coalescing).</summary>
    Superseded,

    /// <summary>The save failed (store error); the previous checkpoints remain the newest.</summary>
    Failed,
}

/// <param name="Duration">From the moment the writer started on the snapshot to its end (zero when superseded).</param>
public sealed record CheckpointSaveResult(
    CheckpointSnapshot Snapshot,
    CheckpointSaveStatus Status,
    CheckpointManifest? Manifest,
    Exception? Error,
    TimeSpan Duration);

/// <summary>What the background writer does when a snapshot arrives while one is being written and another waits.</summary>
public enum CheckpointBackpressure
{
    /// <summary>The caller waits until the waiting snapshot has started (every checkpoint is written; the training step may pause).</summary>
    Wait,

    /// <summary>The waiting snapshot is replaced by the newer one at once (the training step never waits; some checkpoints are skipped).</summary>
    Coalesce,
}
