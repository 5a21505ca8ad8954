namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// Everything a checkpoint holds, already copied to host memory: named binary sections (model state,
/// optimizer state, schedule position, scaler, RNG states, data cursor, metrics: the engine decides the
/// names and encodings). The writer takes ownership of the buffers: the caller must not change them after
/// handing the snapshot over.
/// </summary>
/// <param name="SpecHash">A hash of the experiment spec; a checkpoint is only ever restored into the same spec.</param>
public sealed record CheckpointSnapshot(string ExperimentId, long Step, string SpecHash, IReadOnlyList<CheckpointSection> Sections)
{
    public long TotalBytes => Sections.Sum(s => (long)s.Data.Length);
}

/// <summary>One named part of a checkpoint.</summary>
public sealed record CheckpointSection(string Name, ReadOnlyMemory<byte> Data);
