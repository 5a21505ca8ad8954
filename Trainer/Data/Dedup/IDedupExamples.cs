using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>The examples a dedup pipeline looks at, by id 0..Count-1 (the position in the training split).</summary>
public interface IDedupExamples
{
    int Count { get; }

    /// <summary>What exact dedup hashes.</summary>
    ReadOnlySpan<byte> Content(int id);

    /// <summary>What near dedup compares: a sorted, distinct shingle set.</summary>
    ulong[] Shingles(int id, NearDedupSpec near);

    /// <summary>Where the example comes from (index in the source file, document number in the corpus), for the manifest.</summary>
    long Source(int id);
}

/// <summary>Examples the near stage compares as feature vectors (VectorNearDuplicates) instead of shingle sets.</summary>
public interface IVectorExamples
{
    int Dimensions(NearDedupSpec near);

    void Features(int id, NearDedupSpec near, Span<float> into);

    /// <summary>The features of <paramref name="ids"/>, one row each ([ids.Length, Dimensions]).</summary>
    float[] Features(int[] ids, NearDedupSpec near, ParallelOptions parallel);
}

/// <summary>Images as the pixel bytes of the training split: exact on the bytes, near on the cosine of their low-frequency DCT coefficients.</summary>
/// <param name="maxPixel">The largest pixel value: the near stage's difference is a fraction of it.</param>
public sealed class ImageExamples(byte[] pixels, long[] exampleShape, long[]? sources = null, double maxPixel = 255) : IDedupExamples, IVectorExamples
{
    private readonly int _size = (int)exampleShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Each image's near-stage features, computed once (the split check reuses the training images' rows).</summary>
    public ImageFeatures Cache { get; } = new(pixels, exampleShape, maxPixel);

    public int Count => pixels.Length / _size;

    public ReadOnlySpan<byte> Content(int id) => pixels.AsSpan(id * _size, _size);

    public ulong[] Shingles(int id, NearDedupSpec near) =>
        PerceptualHash.Shingles(Content(id), (int)exampleShape[0], (int)exampleShape[1], (int)exampleShape[2], near.HashSide);

    public long Source(int id) => sources?[id] ?? id;

    public int Dimensions(NearDedupSpec near) => near.HashSide * near.HashSide - 1;

    public void Features(int id, NearDedupSpec near, Span<float> into) =>
        PerceptualHash.Features(Content(id), (int)exampleShape[0], (int)exampleShape[1], (int)exampleShape[2], near.HashSide, maxPixel, into);

    public float[] Features(int[] ids, NearDedupSpec near, ParallelOptions parallel) => Cache.Rows(ids, near.HashSide, parallel);
}

/// <summary>Text documents: exact and near both on the normalised form (TextNormalizer).</summary>
public sealed class DocumentExamples : IDedupExamples
{
    private readonly byte[][] _normalised;
    private readonly long[] _sources;

    public DocumentExamples(IReadOnlyList<string> documents, long[]? sources = null, ParallelOptions? parallel = null)
    {
        _normalised = new byte[documents.Count][];
        Parallel.For(0, documents.Count, parallel ?? new(), i => _normalised[i] = System.Text.Encoding.UTF8.GetBytes(TextNormalizer.Normalize(documents[i])));
        _sources = sources ?? [.. Enumerable.Range(0, documents.Count).Select(i => (long)i)];
    }

    public int Count => _normalised.Length;

    public ReadOnlySpan<byte> Content(int id) => _normalised[id];

    public ulong[] Shingles(int id, NearDedupSpec near) => TextShingles.Of(_normalised[id], near.Shingles, near.ShingleSize);

    public long Source(int id) => _sources[id];
}
