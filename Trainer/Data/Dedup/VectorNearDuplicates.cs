using System.Numerics;
using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Near duplicates among feature vectors (images: their low-frequency DCT coefficients, PerceptualHash.Features):
/// random-hyperplane LSH (Charikar 2002; a pair at angle t shares one sign bit with probability 1 - t/pi) over
/// <see cref="Bands"/> bands of <see cref="BitsPerBand"/> bits, each candidate verified inside its bucket, so no list of
/// all candidates is ever built; a candidate whose sign bits differ in far more places than its cosine floor allows
/// (MaxHamming) is dropped on a popcount before any dot product. A pair is a duplicate when its cosine is at least the floor and what is left of one
/// after the other's best-fitting gain (|a| sin t, the smaller norm) is at most maxDifference RMS per coefficient:
/// a brightness change costs nothing, pixel noise of sigma s costs about s, a different shape much more. Removal is
/// as for shingle sets (NearDuplicates): in id order, an example goes when it verifies against an earlier kept one.
/// </summary>
public static class VectorNearDuplicates
{
    /// <summary>12 bands of 24 bits: a pair at cosine 0.99 is a candidate with probability 0.99, at 0.999 with 1 - 4e-7.</summary>
    public const int Bands = 12;

    public const int BitsPerBand = 24;

    private const int Bits = Bands * BitsPerBand;

    private const int Words = (Bits + 63) / 64;

    /// <summary>How many earlier bucket members each example is compared with; past it a bucket is a crowd of look-alikes, sorted so the likeliest come first.</summary>
    public const int MaxPartnersPerBucket = 64;

    public static List<DuplicateMatch> Find(float[] vectors, int dimensions, double minCosine, double maxDifference, long seed, ParallelOptions parallel)
    {
        var count = vectors.Length / dimensions;
        var planes = Hyperplanes(dimensions, seed);
        var norms = new float[count];
        Parallel.For(0, count, parallel, i =>
        {
            var v = vectors.AsSpan(i * dimensions, dimensions);
            norms[i] = Dot(v, v);
        });
        var signs = Sign(vectors, count, dimensions, planes, parallel);
        var keys = new uint[(long)count * Bands];
        Parallel.For(0, count, parallel, i =>
        {
            for (var band = 0; band < Bands; band++) keys[(long)i * Bands + band] = Key(signs.AsSpan(i * Words, Words), band);
        });
        var maxResidual = maxDifference * maxDifference * dimensions;
        var maxHamming = MaxHamming(minCosine);

        var perBand = new List<(int Later, int Earlier, float Cosine)>[Bands];
        Parallel.For(0, Bands, parallel, band =>
        {
            // Bucket by this band's key; inside a bucket by the next band's key, so that within a crowd the members
            // that also agree on more bits (the closest) sit next to each other.
            var next = (band + 1) % Bands;
            var order = new (ulong Key, int Id)[count];
            for (var i = 0; i < count; i++) order[i] = (((ulong)keys[(long)i * Bands + band] << 32) | keys[(long)i * Bands + next], i);
            Array.Sort(order, (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Id.CompareTo(b.Id));
            var found = new List<(int, int, float)>();
            for (int start = 0, end; start < count; start = end)
            {
                var bucket = order[start].Key >> 32;
                for (end = start + 1; end < count && order[end].Key >> 32 == bucket; end++) { }
                for (var j = start + 1; j < end; j++)
                {
                    var a = vectors.AsSpan(order[j].Id * dimensions, dimensions);
                    var na = norms[order[j].Id];
                    var signsA = signs.AsSpan(order[j].Id * Words, Words);
                    for (var i = Math.Max(start, j - MaxPartnersPerBucket); i < j; i++)
                    {
                        var nb = norms[order[i].Id];
                        if (na == 0 || nb == 0) continue; // a flat image: exact dedup's business
                        if (Hamming(signsA, signs.AsSpan(order[i].Id * Words, Words)) > maxHamming) continue;
                        var dot = Dot(a, vectors.AsSpan(order[i].Id * dimensions, dimensions));
                        var cosine = (float)(dot / Math.Sqrt((double)na * nb));
                        if (cosine < minCosine || Math.Min(na, nb) * (1 - (double)cosine * cosine) > maxResidual) continue;
                        var (x, y) = (order[j].Id, order[i].Id);
                        found.Add(x > y ? (x, y, cosine) : (y, x, cosine));
                    }
                }
            }

            perBand[band] = found;
        });

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

    /// <summary>
    /// Every example's <see cref="Bits"/> sign bits, packed into <see cref="Words"/> ulongs, from one [count, dimensions]
    /// x [dimensions, bits] product (LibTorch's BLAS, on the run's CPU threads): the projections are most of the
    /// arithmetic, and a matrix product does them at the machine's full vector width.
    /// </summary>
    private static ulong[] Sign(float[] vectors, int count, int dimensions, float[] planes, ParallelOptions parallel)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var x = TorchSharp.torch.tensor(vectors, [count, dimensions]);
        using var w = TorchSharp.torch.tensor(planes, [Bits, dimensions]);
        using var signs = x.matmul(w.t()).ge(0).to(TorchSharp.torch.ScalarType.Byte).contiguous();
        var flags = signs.data<byte>().ToArray();
        var packed = new ulong[(long)count * Words];
        Parallel.For(0, count, parallel, i =>
        {
            for (var bit = 0; bit < Bits; bit++) packed[(long)i * Words + (bit >> 6)] |= (ulong)flags[(long)i * Bits + bit] << (bit & 63);
        });
        return packed;
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

    private static int Hamming(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
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
    private static int MaxHamming(double minCosine)
    {
        var p = Math.Acos(Math.Clamp(minCosine, -1, 1)) / Math.PI;
        return (int)Math.Ceiling(Bits * p + 6 * Math.Sqrt(Bits * p * (1 - p)));
    }

    /// <summary>Gaussian hyperplanes from a fixed seed, so the buckets are the same on every machine.</summary>
    private static float[] Hyperplanes(int dimensions, long seed)
    {
        var random = new Random((int)(seed ^ 0x5EED_D3D0));
        var planes = new float[Bands * BitsPerBand * dimensions];
        for (var i = 0; i < planes.Length; i++) planes[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return planes;
    }
}
