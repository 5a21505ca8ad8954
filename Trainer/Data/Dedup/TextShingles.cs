using System.IO.Hashing;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The shingle set of a normalised document: every n-gram of UTF-8 bytes or of words, each as a 64-bit
/// XxHash3, sorted and distinct. A document shorter than one n-gram is one shingle (itself).
/// </summary>
public static class TextShingles
{
    public static ulong[] Of(ReadOnlySpan<byte> normalisedUtf8, ShingleKind kind, int n)
    {
        var shingles = kind == ShingleKind.Bytes ? ByteGrams(normalisedUtf8, n) : WordGrams(normalisedUtf8, n);
        return SortedDistinct(shingles);
    }

    private static List<ulong> ByteGrams(ReadOnlySpan<byte> text, int n)
    {
        var grams = new List<ulong>(Math.Max(1, text.Length - n + 1));
        if (text.Length <= n) grams.Add(XxHash3.HashToUInt64(text));
        for (var i = 0; i + n <= text.Length; i++) grams.Add(XxHash3.HashToUInt64(text.Slice(i, n)));
        return grams;
    }

    /// <summary>Words are separated by single spaces after normalisation, so a word n-gram is one contiguous slice.</summary>
    private static List<ulong> WordGrams(ReadOnlySpan<byte> text, int n)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)' ') starts.Add(i + 1);
        }

        var grams = new List<ulong>(Math.Max(1, starts.Count - n + 1));
        if (starts.Count <= n) grams.Add(XxHash3.HashToUInt64(text));
        for (var w = 0; w + n <= starts.Count; w++)
        {
            var end = w + n < starts.Count ? starts[w + n] - 1 : text.Length;
            grams.Add(XxHash3.HashToUInt64(text[starts[w]..end]));
        }

        return grams;
    }

    public static ulong[] SortedDistinct(List<ulong> values)
    {
        values.Sort();
        var distinct = new List<ulong>(values.Count);
        foreach (var v in values)
        {
            if (distinct.Count == 0 || distinct[^1] != v) distinct.Add(v);
        }

        return [.. distinct];
    }
}
