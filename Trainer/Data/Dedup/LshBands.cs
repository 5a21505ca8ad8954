using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// LSH banding (Leskovec, Rajaraman and Ullman, Mining of Massive Datasets, ch. 3): the signature is cut into
/// bands of r rows; two examples whose rows agree in any band become a candidate pair. A pair of Jaccard s is a
/// candidate with probability 1 - (1 - s^r)^b. Each band is sorted by its key (bands in parallel) and equal
/// keys are grouped; in a group each example is paired with at most <see cref="MaxPartnersPerBucket"/> earlier
/// ones, so a bucket of thousands of look-alikes costs linear, not quadratic, work.
/// </summary>
public static class LshBands
{
    public const int MaxPartnersPerBucket = 32;

    /// <returns>Candidate pairs (later id, earlier id), distinct, sorted by later id then earlier id.</returns>
    public static (int Later, int Earlier)[] Candidates(uint[] signatures, int count, int bands, int rows, ParallelOptions? parallel = null)
    {
        var functions = bands * rows;
        var perBand = new List<long>[bands];
        Parallel.For(0, bands, parallel ?? new(), band =>
        {
            var keyed = new (ulong Key, int Id)[count];
            for (var i = 0; i < count; i++)
            {
                var slice = signatures.AsSpan(i * functions + band * rows, rows);
                keyed[i] = (XxHash3.HashToUInt64(MemoryMarshal.AsBytes(slice), band), i);
            }

            Array.Sort(keyed, (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Id.CompareTo(b.Id));
            var pairs = new List<long>();
            for (int start = 0, end; start < count; start = end)
            {
                for (end = start + 1; end < count && keyed[end].Key == keyed[start].Key; end++) { }
                for (var j = start + 1; j < end; j++)
                {
                    for (var i = Math.Max(start, j - MaxPartnersPerBucket); i < j; i++) pairs.Add(((long)keyed[j].Id << 32) | (uint)keyed[i].Id);
                }
            }

            perBand[band] = pairs;
        });

        var all = perBand.SelectMany(p => p).ToArray();
        Array.Sort(all);
        var distinct = new List<(int, int)>(all.Length);
        for (var k = 0; k < all.Length; k++)
        {
            if (k == 0 || all[k] != all[k - 1]) distinct.Add(((int)(all[k] >> 32), (int)(all[k] & 0xFFFFFFFF)));
        }

        return [.. distinct];
    }

    /// <summary>The probability that a pair of Jaccard <paramref name="similarity"/> becomes a candidate.</summary>
    public static double CandidateProbability(double similarity, int bands, int rows) => 1 - Math.Pow(1 - Math.Pow(similarity, rows), bands);
}
