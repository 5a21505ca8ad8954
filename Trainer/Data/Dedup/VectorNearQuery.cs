namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>A query vector that verifies against a reference row: the smallest such row, and their cosine.</summary>
public readonly record struct ReferenceMatch(int Query, int Row, float Cosine);

/// <summary>
/// Near duplicates of query vectors (the evaluation images) among the rows of an index already built (the training
/// images the near stage compared), counting only the rows marked as references (the kept ones). Only query x
/// reference pairs are tested: no index over queries and references together is built, and queries are never
/// compared with each other. The candidates are as in a match over both sets (VectorNearDuplicates): in each band,
/// the query goes where it would sort among the rows, and the MaxPartnersPerBucket nearest reference rows on each side
/// inside its bucket are tested (a match over both sets tests the 64 nearest members on each side, queries included,
/// so this tests those and possibly a few more), with the same popcount bound and the same pair test.
/// </summary>
public static class VectorNearQuery
{
    /// <returns>For each query with a match, the smallest reference row it verifies against, in query order.</returns>
    public static List<ReferenceMatch> Find(SignBitIndex index, bool[] isReference, float[] queries, double minCosine, double maxDifference, ParallelOptions parallel)
    {
        var dimensions = index.Dimensions;
        var count = queries.Length / dimensions;
        var norms = SignBitIndex.NormsOf(queries, dimensions, parallel);
        var signs = index.SignsOf(queries, parallel);
        var maxResidual = VectorNearDuplicates.MaxResidual(maxDifference, dimensions);
        var rowBounds = SignBitIndex.MaxHammings(index.Norms, minCosine, maxResidual, parallel);
        var queryBounds = SignBitIndex.MaxHammings(norms, minCosine, maxResidual, parallel);
        var best = new ReferenceMatch?[count];
        Parallel.For(0, count, parallel, q =>
        {
            if (norms[q] == 0) return; // a flat image: exact dedup's business
            var query = new Query(queries.AsSpan(q * dimensions, dimensions), norms[q], signs.AsSpan(q * SignBitIndex.Words, SignBitIndex.Words));
            var (row, cosine) = Best(index, isReference, query, minCosine, maxResidual, queryBounds[q], rowBounds);
            if (row >= 0) best[q] = new ReferenceMatch(q, row, cosine);
        });

        return [.. best.Where(m => m is not null).Select(m => m!.Value)];
    }

    private readonly ref struct Query(ReadOnlySpan<float> vector, float norm, ReadOnlySpan<ulong> signs)
    {
        public ReadOnlySpan<float> Vector { get; } = vector;
        public float Norm { get; } = norm;
        public ReadOnlySpan<ulong> Signs { get; } = signs;
    }

    /// <summary>
    /// The smallest reference row among the query's candidates that verifies, or -1. A row that shares several bands
    /// with the query (a close look-alike shares most) is a candidate in each: the candidates are gathered first and
    /// tested once each, smallest first, so the first that verifies is the answer.
    /// </summary>
    private static (int Row, float Cosine) Best(SignBitIndex index, bool[] isReference, Query query, double minCosine, double maxResidual, int queryBound, int[] rowBounds)
    {
        Span<int> candidates = stackalloc int[SignBitIndex.Bands * 2 * VectorNearDuplicates.MaxPartnersPerBucket];
        var n = 0;
        for (var band = 0; band < SignBitIndex.Bands; band++)
        {
            var (keys, rows) = (index.SortedKeys[band], index.SortedRows[band]);
            var key = SignBitIndex.BucketKey(query.Signs, band);
            var bucket = key >> 32;
            // Rows with an equal key sort before the query (a query's id comes after every training id).
            var at = UpperBound(keys, key);
            foreach (var step in (ReadOnlySpan<int>)[-1, 1])
            {
                var tested = 0;
                for (var k = step < 0 ? at - 1 : at; k >= 0 && k < keys.Length && keys[k] >> 32 == bucket && tested < VectorNearDuplicates.MaxPartnersPerBucket; k += step)
                {
                    if (!isReference[rows[k]]) continue;
                    tested++;
                    candidates[n++] = rows[k];
                }
            }
        }

        candidates = candidates[..n];
        candidates.Sort();
        for (var c = 0; c < candidates.Length; c++)
        {
            var row = candidates[c];
            if (c > 0 && row == candidates[c - 1]) continue;
            if (SignBitIndex.Hamming(query.Signs, index.Signs.AsSpan(row * SignBitIndex.Words, SignBitIndex.Words)) > Math.Max(queryBound, rowBounds[row])) continue;
            var vector = index.Vectors.AsSpan(row * index.Dimensions, index.Dimensions);
            if (VectorNearDuplicates.Verifies(query.Vector, query.Norm, vector, index.Norms[row], minCosine, maxResidual, out var cosine)) return (row, cosine);
        }

        return (-1, 0);
    }

    /// <summary>The first position whose key is greater than <paramref name="key"/>.</summary>
    private static int UpperBound(ulong[] keys, ulong key)
    {
        var (low, high) = (0, keys.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (keys[middle] <= key) low = middle + 1;
            else high = middle;
        }

        return low;
    }
}
