using System.Text;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>
/// Injected duplicates with a known truth: a share of the set re-added after the originals, a third as exact
/// copies and two thirds with small noise (images) or edits (text). Id k >= originals is a copy of Source[k].
/// </summary>
public sealed record Injected(int Originals, int[] Source, bool[] Exact)
{
    /// <summary>Originals and copies.</summary>
    public int Count => Originals + Source.Length;

    public bool IsCopy(int id) => id >= Originals;

    public bool IsExactCopy(int id) => id >= Originals && Exact[id - Originals];
}

public static class Injection
{
    /// <summary>Image copies: exact bytes, or each pixel plus Gaussian noise (sigma 8 grey levels of 255) and a brightness change of up to 5 %.</summary>
    public static (byte[] Pixels, long[] Labels, Injected Truth) Images(byte[] pixels, long[] labels, int size, double share, int seed)
    {
        var random = new Random(seed);
        var originals = labels.Length;
        var copies = (int)(originals * share);
        var outPixels = new byte[(long)(originals + copies) * size];
        var outLabels = new long[originals + copies];
        Array.Copy(pixels, outPixels, (long)originals * size);
        Array.Copy(labels, outLabels, originals);
        var source = new int[copies];
        var exact = new bool[copies];
        for (var c = 0; c < copies; c++)
        {
            var from = random.Next(originals);
            source[c] = from;
            exact[c] = c % 3 == 0;
            outLabels[originals + c] = labels[from];
            var gain = 1 + (random.NextDouble() - 0.5) * 0.1;
            for (var p = 0; p < size; p++)
            {
                var value = (double)pixels[(long)from * size + p];
                if (!exact[c]) value = value * gain + Gaussian(random) * 8;
                outPixels[(long)(originals + c) * size + p] = (byte)Math.Clamp(Math.Round(value), 0, 255);
            }
        }

        return (outPixels, outLabels, new Injected(originals, source, exact));
    }

    /// <summary>
    /// Text copies: exact ones differ only in case and spacing (the same after normalisation); edited ones get one
    /// character edit (substitute, insert or delete a letter) per 60 characters, at least one.
    /// </summary>
    public static (List<string> Documents, Injected Truth) Documents(IReadOnlyList<string> documents, double share, int seed)
    {
        var random = new Random(seed);
        var originals = documents.Count;
        var copies = (int)(originals * share);
        var output = new List<string>(documents);
        var source = new int[copies];
        var exact = new bool[copies];
        for (var c = 0; c < copies; c++)
        {
            var from = random.Next(originals);
            source[c] = from;
            exact[c] = c % 3 == 0;
            output.Add(exact[c] ? Relayout(documents[from], random) : Edit(documents[from], random));
        }

        return (output, new Injected(originals, source, exact));
    }

    private static string Relayout(string text, Random random) =>
        (random.Next(2) == 0 ? text.ToUpperInvariant() : text).Replace(" ", random.Next(2) == 0 ? "  " : " \n") + "\n";

    private static string Edit(string text, Random random)
    {
        var builder = new StringBuilder(text);
        var edits = Math.Max(1, text.Length / 60);
        for (var e = 0; e < edits && builder.Length > 1; e++)
        {
            var at = random.Next(builder.Length);
            var letter = (char)('a' + random.Next(26));
            switch (random.Next(3))
            {
                case 0: builder[at] = letter; break;
                case 1: builder.Insert(at, letter); break;
                default: builder.Remove(at, 1); break;
            }
        }

        return builder.ToString();
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
