using System.IO.Hashing;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>The bytes that identify example <paramref name="id"/> (pixels, or a normalised document's UTF-8).</summary>
public delegate ReadOnlySpan<byte> ContentOf(int id);

/// <summary>
/// Exact duplicates: a 128-bit XxHash of each example's content, computed on all cores; an example whose
/// hash (and bytes, checked so a collision never removes anything) equals an earlier example's is a copy of it.
/// </summary>
public static class ExactDuplicates
{
    /// <returns>For each example, the id of the first earlier example with the same content, or -1.</returns>
    public static int[] Find(int count, ContentOf content, ParallelOptions? parallel = null)
    {
        var hashes = new UInt128[count];
        Parallel.For(0, count, parallel ?? new(), i => hashes[i] = XxHash128.HashToUInt128(content(i)));

        var matches = new int[count];
        var first = new Dictionary<UInt128, int>(count);
        for (var i = 0; i < count; i++)
        {
            matches[i] = -1;
            if (!first.TryAdd(hashes[i], i) && content(first[hashes[i]]).SequenceEqual(content(i)))
            {
                matches[i] = first[hashes[i]];
            }
        }

        return matches;
    }
}
