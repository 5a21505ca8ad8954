namespace GreenTrain.Trainer.Checkpoints;

/// <summary>Why a committed checkpoint was not used.</summary>
public enum CheckpointProblem
{
    /// <summary>The index names it but its manifest is gone.</summary>
    ManifestMissing,

    /// <summary>The manifest is not a complete, consistent manifest of this checkpoint.</summary>
    ManifestUnreadable,

    /// <summary>The checkpoint belongs to another spec; restoring it would train a different experiment.</summary>
    SpecHashMismatch,

    /// <summary>A chunk the manifest lists is not in the store.</summary>
    ChunkMissing,

    /// <summary>A chunk's length differs from the manifest.</summary>
    LengthMismatch,

    /// <summary>A chunk's SHA-256 differs from the manifest: its bytes changed after it was written.</summary>
    ChecksumMismatch,
}

/// <summary>A checkpoint that was passed over, and why.</summary>
public sealed record RejectedCheckpoint(string CheckpointId, CheckpointProblem Problem, string Detail);

/// <summary>A verified checkpoint: every section's bytes exactly as written.</summary>
public sealed record LoadedCheckpoint(CheckpointManifest Manifest, IReadOnlyDictionary<string, byte[]> Sections);

/// <summary>
/// The newest good checkpoint, or none (<see cref="Checkpoint"/> null) when no committed checkpoint is
/// intact, together with the newer ones that were rejected on the way.
/// </summary>
public sealed record CheckpointLoadResult(LoadedCheckpoint? Checkpoint, IReadOnlyList<RejectedCheckpoint> Rejected)
{
    public bool Found => Checkpoint is not null;
}
