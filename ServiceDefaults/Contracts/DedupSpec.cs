using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// What to remove from the training split before training (dataset.dedup). The stages run in this order,
/// each on what the previous kept: exact copies, near copies (MinHash with LSH), semantic near copies
/// (SemDeDup on the spec's own model's embeddings) and, optionally, the easiest examples (EL2N pruning).
/// A stage left out (null, or exact false) does not run.
/// </summary>
public sealed record DedupSpec
{
    /// <summary>Drop examples whose content hash equals an earlier one's (images: pixel bytes; text: the normalised document).</summary>
    public bool Exact { get; init; } = true;

    public NearDedupSpec? Near { get; init; }

    public SemanticDedupSpec? Semantic { get; init; }

    public PruneSpec? Prune { get; init; }
}

/// <summary>
/// Near duplicates. Text: Jaccard similarity of shingle sets estimated by MinHash, candidates by LSH banding, each
/// candidate verified on its exact Jaccard. Images: their low-frequency DCT coefficients, candidates by
/// random-hyperplane LSH, each verified on its exact difference and cosine.
/// </summary>
public sealed record NearDedupSpec
{
    /// <summary>Jaccard similarity (0..1] at or above which two examples are duplicates; 0.8 is the usual (Lee et al. 2021).</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>LSH bands; bands x rows MinHash values per example. 20 x 6 finds a pair of Jaccard 0.8 with probability 0.998.</summary>
    public int Bands { get; init; } = 20;

    /// <summary>MinHash values per band.</summary>
    public int Rows { get; init; } = 6;

    /// <summary>Text: n of the n-grams (bytes or words); byte 3-grams found 0.97 of edited fortunes, 4-grams 0.94 (docs/benchmarks.md).</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>Images: side of the low-frequency DCT block compared (16: 255 coefficients; 8 is twice as fast and found 0.998 of the injected copies against 1.000, docs/benchmarks.md).</summary>
    public int HashSide { get; init; } = 16;

    /// <summary>
    /// Images: two images are duplicates when their low-frequency DCT coefficients, after the brightness of one is matched
    /// to the other, differ by at most this RMS, as a fraction of the full pixel range (0.04: about 10 grey levels of 255)...
    /// </summary>
    public double ImageDifference { get; init; } = 0.04;

    /// <summary>... and their cosine similarity is at least this (it keeps dim, nearly flat images from all matching each other).</summary>
    public double ImageCosine { get; init; } = 0.9;

    /// <summary>Text: shingles of bytes (robust on short documents) or of words.</summary>
    public ShingleKind Shingles { get; init; } = ShingleKind.Bytes;
}

/// <summary>SemDeDup (Abbas et al. 2023) on embeddings from the spec's own model after a short run.</summary>
public sealed record SemanticDedupSpec
{
    /// <summary>Drop an example whose cosine similarity to a kept one of its cluster exceeds 1 - eps.</summary>
    public double Eps { get; init; } = 0.02;

    /// <summary>k of k-means; 0 picks sqrt(examples / 2).</summary>
    public int Clusters { get; init; }

    /// <summary>Optimizer steps of the proxy run whose penultimate layer gives the embeddings.</summary>
    public int ProxySteps { get; init; } = 200;
}

/// <summary>EL2N pruning (Paul et al. 2021): keep the examples with the largest error norm early in training.</summary>
public sealed record PruneSpec
{
    /// <summary>Fraction (0..1] of the examples kept, hardest first.</summary>
    public double KeepFraction { get; init; } = 0.8;

    /// <summary>Optimizer steps of the scoring run (the paper scores after a few epochs).</summary>
    public int ScoreSteps { get; init; } = 200;
}

public enum ShingleKind
{
    [JsonStringEnumMemberName("bytes")] Bytes,
    [JsonStringEnumMemberName("words")] Words,
}

/// <summary>How a text corpus is cut into documents (the unit of dedup and of the split).</summary>
public enum DocumentKind
{
    /// <summary>Documents separated by lines holding only '%' (fortune/strfile format).</summary>
    [JsonStringEnumMemberName("fortune")] Fortune,

    /// <summary>Each non-empty line is a document.</summary>
    [JsonStringEnumMemberName("line")] Line,

    /// <summary>Documents separated by blank lines.</summary>
    [JsonStringEnumMemberName("paragraph")] Paragraph,
}
