using System.Numerics;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The random-hyperplane LSH index of a set of feature vectors (Charikar 2002: a pair at angle t shares one sign bit
/// with probability 1 - t/pi): each row's squared norm, its <see cref="Bits"/> sign bits packed into <see cref="Words"/>
/// ulongs, and for each of the <see cref="Bands"/> bands every row sorted by (this band's key, the next band's key,
/// row), so a bucket is one run of the sorted array and inside it the rows that also agree on more bits (the closest)
/// sit next to each other. The near stage builds it once (VectorNearDuplicates); the split check queries it with the
/// evaluation images (VectorNearQuery) instead of building it again over training and evaluation images together.
/// </summary>
public sealed class SignBitIndex
{
    /// <summary>12 bands of 24 bits: a pair at cosine 0.99 is a candidate with probability 0.99, at 0.999 with 1 - 4e-7.</summary>
    public const int Bands = 12;

    public const int BitsPerBand = 24;

    public const int Bits = Bands * BitsPerBand;

    public const int Words = (Bits + 63) / 64;

    private readonly float[] _planes;

    private SignBitIndex(float[] vectors, int dimensions, float[] planes)
    {
        Vectors = vectors;
        Dimensions = dimensions;
        _planes = planes;
    }

    /// <summary>The rows, [Count, Dimensions].</summary>
    public float[] Vectors { get; }

    public int Dimensions { get; }

    public int Count => Vectors.Length / Dimensions;

    public float[] Norms { get; private set; } = [];

    /// <summary>[Count, Words]: bit b of row i is the sign of its projection on hyperplane b.</summary>
    public ulong[] Signs { get; private set; } = [];

    /// <summary>Per band: the sorted bucket keys (<see cref="BucketKey"/>) and, at the same positions, their rows.</summary>
    public ulong[][] SortedKeys { get; } = new ulong[Bands][];

    public int[][] SortedRows { get; } = new int[Bands][];

    /// <param name="profile">When given, the parts are added to it: "near match: sign bits", "near match: buckets".</param>
    public static SignBitIndex Build(float[] vectors, int dimensions, long seed, ParallelOptions parallel, StageClock? profile = null)
    {
        var index = new SignBitIndex(vectors, dimensions, Hyperplanes(dimensions, seed));
        var count = index.Count;
        Measure(profile, "near match: sign bits", count, () =>
        {
            index.Norms = NormsOf(vectors, dimensions, parallel);
            index.Signs = index.SignsOf(vectors, parallel);
        });
        Measure(profile, "near match: buckets", count, () => Parallel.For(0, Bands, parallel, band =>
        {
            var keys = new ulong[count];
            var rows = new int[count];
            for (var i = 0; i < count; i++) (keys[i], rows[i]) = (BucketKey(index.Signs.AsSpan(i * Words, Words), band), i);
            SortByKeyThenRow(keys, rows);
            (index.SortedKeys[band], index.SortedRows[band]) = (keys, rows);
        }));
        return index;
    }

    /// <summary>Squared norms, one per row.</summary>
    public static float[] NormsOf(float[] vectors, int dimensions, ParallelOptions parallel)
    {
        var norms = new float[vectors.Length / dimensions];
        Parallel.For(0, norms.Length, parallel, i =>
        {
            var v = vectors.AsSpan(i * dimensions, dimensions);
            norms[i] = VectorNearDuplicates.Dot(v, v);
        });
        return norms;
    }

    /// <summary>
    /// The packed sign bits of <paramref name="vectors"/> against this index's hyperplanes, from one [n, dimensions] x
    /// [dimensions, bits] product (LibTorch's BLAS, on the threads the caller set): the projections are most of the
    /// arithmetic, and a matrix product does them at the machine's full vector width.
    /// </summary>
    public ulong[] SignsOf(float[] vectors, ParallelOptions parallel)
    {
        var count = vectors.Length / Dimensions;
        var packed = new ulong[(long)count * Words];
        if (count == 0) return packed;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var x = TorchSharp.torch.tensor(vectors, [count, Dimensions]);
        using var w = TorchSharp.torch.tensor(_planes, [Bits, Dimensions]);
        using var signs = x.matmul(w.t()).ge(0).to(TorchSharp.torch.ScalarType.Byte).contiguous();
        var flags = signs.data<byte>().ToArray();
        Parallel.For(0, count, parallel, i =>
        {
            for (var bit = 0; bit < Bits; bit++) packed[(long)i * Words + (bit >> 6)] |= (ulong)flags[(long)i * Bits + bit] << (bit & 63);
        });
        return packed;
    }

    /// <summary>A row's key in band <paramref name="band"/>: that band's bits above, the next band's below (the bucket is the upper half).</summary>
    public static ulong BucketKey(ReadOnlySpan<ulong> signs, int band) => ((ulong)Key(signs, band) << 32) | Key(signs, (band + 1) % Bands);

    public static int Hamming(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var distance = 0;
        for (var i = 0; i < a.Length; i++) distance += BitOperations.PopCount(a[i] ^ b[i]);
        return distance;
    }

    /// <summary>
    /// How many of the <see cref="Bits"/> sign bits a pair at the cosine floor may differ in and still be verified: the
    /// expected count (bits x angle / pi) plus 6 standard deviations (binomial), so a pair that can verify is dropped
    /// with probability under 1e-9, while look-alikes in a crowded bucket are skipped for a few popcounts instead of a
    /// dot product each (on Fashion-MNIST most bucket pairs are such look-alikes).
    /// </summary>
    public static int MaxHamming(double minCosine)
    {
        var p = Math.Acos(Math.Clamp(minCosine, -1, 1)) / Math.PI;
        return (int)Math.Ceiling(Bits * p + 6 * Math.Sqrt(Bits * p * (1 - p)));
    }

    /// <summary>
    /// For each row, the most sign bits it may differ in from any partner that can verify with it. The pair test asks
    /// more than the cosine floor: the residual of the smaller vector, norm x sin^2 t, at most maxResidual, so a pair
    /// whose smaller squared norm is n verifies only at cosine sqrt(1 - maxResidual / n) or above, far above the floor
    /// for most images (the floor, cosine 0.9, allows 26 degrees). The bound of a pair is the larger
    /// of its two rows' (the smaller norm's), the count its angle exceeds with probability under 1e-9 (the binomial
    /// tail), plus 2 bits for rounding in the projections, and never more than <see cref="MaxHamming"/> of the floor.
    /// On Fashion-MNIST it turns most of a crowded bucket's look-alikes away on a popcount instead of a dot product.
    /// </summary>
    public static int[] MaxHammings(float[] norms, double minCosine, double maxResidual, ParallelOptions parallel)
    {
        var floor = MaxHamming(minCosine);
        var bounds = new int[norms.Length];
        Parallel.For(0, norms.Length, parallel, i =>
        {
            var cosine = norms[i] <= maxResidual ? minCosine : Math.Max(minCosine, Math.Sqrt(1 - maxResidual / norms[i]));
            bounds[i] = Math.Min(floor, BinomialBound(Math.Acos(Math.Clamp(cosine, -1, 1)) / Math.PI) + 2);
        });
        return bounds;
    }

    /// <summary>The smallest h with P(Binomial(Bits, p) &gt; h) under 1e-9.</summary>
    private static int BinomialBound(double p)
    {
        if (p <= 0) return 0;
        var (probability, cumulative) = (Math.Pow(1 - p, Bits), 0.0);
        for (var h = 0; h < Bits; h++)
        {
            cumulative += probability;
            if (1 - cumulative < 1e-9) return h;
            probability *= (Bits - h) / (h + 1.0) * p / (1 - p);
        }

        return Bits;
    }

    /// <summary>
    /// Sorts by key, rows ascending among equal keys: Array.Sort of a ulong array with its items instead of a comparer
    /// delegate over tuples; it is not stable, so runs of equal keys get their rows sorted after.
    /// </summary>
    private static void SortByKeyThenRow(ulong[] keys, int[] rows)
    {
        Array.Sort(keys, rows);
        for (int start = 0, end; start < keys.Length; start = end)
        {
            for (end = start + 1; end < keys.Length && keys[end] == keys[start]; end++) { }
            if (end - start > 1) Array.Sort(rows, start, end - start);
        }
    }

    /// <summary>Band <paramref name="band"/>'s key: sign bits band * BitsPerBand onwards, the first in the lowest bit.</summary>
    private static uint Key(ReadOnlySpan<ulong> words, int band)
    {
        var start = band * BitsPerBand;
        var (word, offset) = (start >> 6, start & 63);
        var value = words[word] >> offset;
        if (offset + BitsPerBand > 64) value |= words[word + 1] << (64 - offset);
        return (uint)(value & ((1UL << BitsPerBand) - 1));
    }

    /// <summary>Gaussian hyperplanes from a fixed seed, so the buckets are the same on every machine.</summary>
    private static float[] Hyperplanes(int dimensions, long seed)
    {
        var random = new Random((int)(seed ^ 0x5EED_D3D0));
        var planes = new float[Bits * dimensions];
        for (var i = 0; i < planes.Length; i++) planes[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return planes;
    }

    private static void Measure(StageClock? profile, string part, int examples, Action run)
    {
        if (profile is null) run();
        else profile.Measure(part, examples, run);
    }
}
