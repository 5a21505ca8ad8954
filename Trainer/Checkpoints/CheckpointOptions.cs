using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>How checkpoints are laid out in the shared store; bound from the "Checkpoints" section.</summary>
public sealed class CheckpointOptions
{
    public const string SectionName = "Checkpoints";

    /// <summary>The largest chunk ever written or accepted on load: one store command never moves more (DESIGN.md).</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;

    /// <summary>Bytes per chunk (bytes); smaller chunks mean shorter store commands but more of them.</summary>
    [Range(4 * 1024, MaxChunkBytes)]
    public int ChunkSizeBytes { get; set; } = MaxChunkBytes;

    /// <summary>How many committed checkpoints of an experiment to keep when a save does not say (count).</summary>
    [Range(1, 1000)]
    public int KeepLast { get; set; } = 3;

    /// <summary>Chunk writes or reads in flight at once (count); a few hide the round trip without flooding the store.</summary>
    [Range(1, 64)]
    public int ParallelTransfers { get; set; } = 4;
}
