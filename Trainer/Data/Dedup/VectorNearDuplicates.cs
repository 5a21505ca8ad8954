using System.Numerics;
using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Near duplicates among feature vectors (images: their low-frequency DCT coefficients, PerceptualHash.Features):
/// random-hyperplane LSH (SignBitIndex: 12 bands of 24 sign bits), each candidate verified inside its bucket, so no list of
/// all candidates is ever built; a candidate whose sign bits differ in far more places than its cosine floor allows
/// (SignBitIndex.MaxHammings) is dropped on a popcount before any dot product. A pair is a duplicate when its cosine is at least the floor and what is left of one
/// after the other's best-fitting gain (|a| sin t, the smaller norm) is at most maxDifference RMS per coefficient:
/// a brightness change costs nothing, pixel noise of sigma s costs about s, a different shape much more. Removal is
/// as for shingle sets (NearDuplicates): in id order, an example goes when it verifies against an earlier kept one.
/// </summary>
public static class VectorNearDuplicates
{
    /// <summary>How many earlier bucket members each example is compared with; past it a bucket is a crowd of look-alikes, sorted so the likeliest come first.</summary>
    public const int MaxPartnersPerBucket = 64;

    public static List<DuplicateMatch> Find(float[] vectors, int dimensions, double minCosine, double maxDifference, long seed, ParallelOptions parallel) =>
        Find(SignBitIndex.Build(vectors, dimensions, seed, parallel), minCosine, maxDifference, parallel);

    /// <summary>The matches among the rows of an index already built (the near stage keeps it for the split check).</summary>
    /// <param name="profile">When given, the parts are added to it: "near match: verify", "near match: resolve".</param>
    public static List<DuplicateMatch> Find(SignBitIndex index, double minCosine, double maxDifference, ParallelOptions parallel, StageClock? profile = null)
    {
        var (count, dimensions, vectors, norms, signs) = (index.Count, index.Dimensions, index.Vectors, index.Norms, index.Signs);
        const int Words = SignBitIndex.Words;
        var maxResidual = MaxResidual(maxDifference, dimensions);
        var maxHamming = SignBitIndex.MaxHammings(norms, minCosine, maxResidual, parallel);
        var perBand = new List<(int Later, int Earlier, float Cosine)>[SignBitIndex.Bands];
        Measure(profile, "near match: verify", count, () => Parallel.For(0, SignBitIndex.Bands, parallel, band =>
        {
            var (keys, rows) = (index.SortedKeys[band], index.SortedRows[band]);
            var found = new List<(int, int, float)>();
            for (int start = 0, end; start < count; start = end)
            {
                var bucket = keys[start] >> 32;
                for (end = start + 1; end < count && keys[end] >> 32 == bucket; end++) { }
                for (var j = start + 1; j < end; j++)
                {
                    var a = vectors.AsSpan(rows[j] * dimensions, dimensions);
                    var na = norms[rows[j]];
                    var signsA = signs.AsSpan(rows[j] * Words, Words);
                    var boundA = maxHamming[rows[j]];
                    for (var i = Math.Max(start, j - MaxPartnersPerBucket); i < j; i++)
                    {
                        var nb = norms[rows[i]];
                        if (SignBitIndex.Hamming(signsA, signs.AsSpan(rows[i] * Words, Words)) > Math.Max(boundA, maxHamming[rows[i]])) continue;
                        if (!Verifies(a, na, vectors.AsSpan(rows[i] * dimensions, dimensions), nb, minCosine, maxResidual, out var cosine)) continue;
                        var (x, y) = (rows[j], rows[i]);
                        found.Add(x > y ? (x, y, cosine) : (y, x, cosine));
                    }
                }
            }

            perBand[band] = found;
        }));

        return Measure(profile, "near match: resolve", count, () =>
        {
            var pairs = perBand.SelectMany(p => p).Distinct().ToList();
            pairs.Sort((a, b) => a.Later != b.Later ? a.Later.CompareTo(b.Later) : a.Earlier.CompareTo(b.Earlier));
            var removed = new bool[count];
            var matches = new List<DuplicateMatch>();
            for (var k = 0; k < pairs.Count;)
            {
                var later = pairs[k].Later;
                var end = k;
                while (end < pairs.Count && pairs[end].Later == later) end++;
                for (var c = k; c < end; c++)
                {
                    if (removed[pairs[c].Earlier]) continue;
                    removed[later] = true;
                    matches.Add(new DuplicateMatch(later, pairs[c].Earlier, pairs[c].Cosine));
                    break;
                }

                k = end;
            }

            return matches;
        });
    }

    /// <summary>The largest squared residual a pair may leave: maxDifference RMS over every coefficient.</summary>
    public static double MaxResidual(double maxDifference, int dimensions) => maxDifference * maxDifference * dimensions;

    /// <summary>
    /// The pair test: cosine at least the floor, and what is left of the smaller vector after the other's best gain
    /// (its norm times sin t, squared) at most <paramref name="maxResidual"/>. A flat image (norm 0) never verifies:
    /// it is exact dedup's business. The same arithmetic whichever vector comes first, so a query finds what a match
    /// over both sets finds.
    /// </summary>
    public static bool Verifies(ReadOnlySpan<float> a, float na, ReadOnlySpan<float> b, float nb, double minCosine, double maxResidual, out float cosine)
    {
        cosine = 0;
        if (na == 0 || nb == 0) return false;
        var dot = Dot(a, b);
        cosine = (float)(dot / Math.Sqrt((double)na * nb));
        return cosine >= minCosine && Math.Min(na, nb) * (1 - (double)cosine * cosine) <= maxResidual;
    }

    /// <summary>The dot product, SIMD-wide (Vector&lt;float&gt;), then the tail.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var width = Vector<float>.Count;
        var wide = MemoryMarshal.Cast<float, Vector<float>>(a[..(a.Length / width * width)]);
        var wideB = MemoryMarshal.Cast<float, Vector<float>>(b[..(a.Length / width * width)]);
        for (var i = 0; i < wide.Length; i++) sum += wide[i] * wideB[i];
        var total = Vector.Sum(sum);
        for (var i = wide.Length * width; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    private static T Measure<T>(StageClock? profile, string part, int examples, Func<T> run) => profile is null ? run() : profile.Measure(part, examples, run);

    private static void Measure(StageClock? profile, string part, int examples, Action run)
    {
        if (profile is null) run();
        else profile.Measure(part, examples, run);
    }
}
