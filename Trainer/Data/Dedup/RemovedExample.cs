namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// One line of dedup-manifest.jsonl: which example went, from which split, by which stage, and why: the kept
/// example it duplicates (exact, near, semantic), the similarity measured, the k-means cluster (semantic), or
/// its EL2N score (prune). Ids are positions in the split; sources are positions in the source file or corpus.
/// </summary>
public sealed record RemovedExample
{
    public required string Split { get; init; }

    public required int Id { get; init; }

    public required long Source { get; init; }

    /// <summary>exact, near, semantic, prune, or overlap (an evaluation document duplicating a training one).</summary>
    public required string Stage { get; init; }

    public int? Match { get; init; }

    public long? MatchSource { get; init; }

    /// <summary>Jaccard (near), cosine (semantic) or 1 (exact).</summary>
    public double? Similarity { get; init; }

    public int? Cluster { get; init; }

    public double? Score { get; init; }
}
