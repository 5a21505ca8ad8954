namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The DCT perceptual hash (the pHash idea: Zauner 2010): the image in grey, resized to 32x32, its side x side
/// lowest-frequency DCT-II coefficients without the DC term. Low frequencies average many pixels, so pixel noise
/// moves them little. <see cref="Features"/> keeps the coefficients (orthonormal, as fractions of the full pixel
/// range), which the near stage compares by cosine and by the difference left after matching brightness. <see cref="Shingles"/> is the bit form (each bit: a coefficient above their median), as
/// (position, bit) shingles whose Jaccard with d of n bits different is (n - d) / (n + d).
/// </summary>
public static class PerceptualHash
{
    public const int DefaultSide = 16;

    public const int Bits = DefaultSide * DefaultSide - 1;
    private const int Resized = 32;
    private static readonly double[] Cosines = BuildCosines();

    /// <param name="pixels">One example: channels x height x width bytes.</param>
    public static ulong[] Shingles(ReadOnlySpan<byte> pixels, int channels, int height, int width, int side = DefaultSide)
    {
        var grey = Resize(pixels, channels, height, width);
        var coefficients = LowFrequencies(grey, side);
        var bits = coefficients.Length;
        var sorted = (double[])coefficients.Clone();
        Array.Sort(sorted);
        var median = (sorted[bits / 2] + sorted[(bits - 1) / 2]) / 2;
        var shingles = new ulong[bits];
        for (var i = 0; i < bits; i++) shingles[i] = (ulong)(2 * i + (coefficients[i] > median ? 1 : 0));
        return shingles;
    }

    /// <summary>
    /// The side x side - 1 low-frequency coefficients of one example, orthonormal (the 2-D DCT-II's 2/N for AC terms)
    /// and divided by <paramref name="maxPixel"/>: an RMS over them is in fractions of the full pixel range.
    /// </summary>
    public static void Features(ReadOnlySpan<byte> pixels, int channels, int height, int width, int side, double maxPixel, Span<float> into)
    {
        var coefficients = LowFrequencies(Resize(pixels, channels, height, width), side);
        var scale = 2.0 / Resized / maxPixel;
        for (var i = 0; i < coefficients.Length; i++) into[i] = (float)(coefficients[i] * scale);
    }

    /// <summary>Bilinear resize of the channel mean to 32x32 (pixel centres aligned).</summary>
    private static double[] Resize(ReadOnlySpan<byte> pixels, int channels, int height, int width)
    {
        var plane = height * width;
        var grey = new double[plane];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < plane; p++) grey[p] += pixels[c * plane + p] / (double)channels;
        }

        return ResizeGrey(grey, height, width);
    }

    private static double[] ResizeGrey(double[] grey, int height, int width)
    {
        var resized = new double[Resized * Resized];
        for (var y = 0; y < Resized; y++)
        {
            var sy = Math.Clamp((y + 0.5) * height / Resized - 0.5, 0, height - 1);
            var y0 = (int)sy; var y1 = Math.Min(y0 + 1, height - 1); var fy = sy - y0;
            for (var x = 0; x < Resized; x++)
            {
                var sx = Math.Clamp((x + 0.5) * width / Resized - 0.5, 0, width - 1);
                var x0 = (int)sx; var x1 = Math.Min(x0 + 1, width - 1); var fx = sx - x0;
                var top = grey[y0 * width + x0] * (1 - fx) + grey[y0 * width + x1] * fx;
                var bottom = grey[y1 * width + x0] * (1 - fx) + grey[y1 * width + x1] * fx;
                resized[y * Resized + x] = top * (1 - fy) + bottom * fy;
            }
        }

        return resized;
    }

    /// <summary>
    /// <see cref="Features"/> as one matrix, [side * side - 1, channels * height * width]: grey mean, resize and DCT are
    /// all linear in the pixels, so column p is the features of an image that is 1 at pixel p and 0 elsewhere, and the
    /// features of many images are one matrix product with it (ImageFeatures), at the machine's full vector width.
    /// </summary>
    public static float[] Matrix(int channels, int height, int width, int side, double maxPixel)
    {
        var plane = height * width;
        var dimensions = side * side - 1;
        var matrix = new float[dimensions * channels * plane];
        var scale = 2.0 / Resized / maxPixel / channels;
        var grey = new double[plane];
        for (var p = 0; p < plane; p++)
        {
            grey[p] = 1;
            var coefficients = LowFrequencies(ResizeGrey(grey, height, width), side);
            grey[p] = 0;
            for (var c = 0; c < channels; c++)
            {
                for (var i = 0; i < dimensions; i++) matrix[i * channels * plane + c * plane + p] = (float)(coefficients[i] * scale);
            }
        }

        return matrix;
    }

    /// <summary>C * image * C^T restricted to the first <paramref name="side"/> rows of C, without the DC coefficient.</summary>
    private static double[] LowFrequencies(double[] image, int side)
    {
        var rows = new double[side * Resized];
        for (var u = 0; u < side; u++)
        {
            for (var x = 0; x < Resized; x++)
            {
                double sum = 0;
                for (var y = 0; y < Resized; y++) sum += Cosines[u * Resized + y] * image[y * Resized + x];
                rows[u * Resized + x] = sum;
            }
        }

        var coefficients = new double[side * side - 1];
        for (var u = 0; u < side; u++)
        {
            for (var v = 0; v < side; v++)
            {
                if (u == 0 && v == 0) continue;
                double sum = 0;
                for (var x = 0; x < Resized; x++) sum += rows[u * Resized + x] * Cosines[v * Resized + x];
                coefficients[u * side + v - 1] = sum;
            }
        }

        return coefficients;
    }

    private static double[] BuildCosines()
    {
        var c = new double[Resized * Resized];
        for (var u = 0; u < Resized; u++)
        {
            for (var x = 0; x < Resized; x++) c[u * Resized + x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * Resized));
        }

        return c;
    }
}
