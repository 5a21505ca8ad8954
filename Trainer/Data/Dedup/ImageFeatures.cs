using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The near stage's features of a set of images (PerceptualHash's low-frequency DCT coefficients), computed at most
/// once per image and hash side and kept: the split check compares the kept training images again, and takes their
/// rows from here (<see cref="Seed"/>) instead of computing them a second time. The features of many images are one
/// matrix product of their pixels with <see cref="PerceptualHash.Matrix"/> (LibTorch's BLAS on the run's CPU
/// threads), in chunks so the float copy of the pixels stays small.
/// </summary>
public sealed class ImageFeatures(byte[] pixels, long[] exampleShape, double maxPixel)
{
    /// <summary>Images per matrix product: 8,192 x 784 floats is 26 MB.</summary>
    private const int Chunk = 8192;

    private readonly int _size = (int)exampleShape.Aggregate(1L, (a, b) => a * b);
    private readonly Dictionary<int, (float[] Values, bool[] Done)> _bySide = [];

    public int Count => pixels.Length / _size;

    public static int Dimensions(int side) => side * side - 1;

    /// <summary>The rows of <paramref name="ids"/> ([ids.Length, Dimensions(side)]), computing those not computed yet.</summary>
    public float[] Rows(int[] ids, int side, ParallelOptions parallel)
    {
        var dimensions = Dimensions(side);
        var (values, done) = Table(side);
        Compute([.. ids.Where(id => !done[id]).Distinct()], side, values, done);
        var rows = new float[(long)ids.Length * dimensions];
        Parallel.For(0, ids.Length, parallel, k => values.AsSpan(ids[k] * dimensions, dimensions).CopyTo(rows.AsSpan(k * dimensions, dimensions)));
        return rows;
    }

    /// <summary>Takes <paramref name="rows"/> as the features of images 0..n-1 (n = rows / dimensions), already computed elsewhere for the same pixels.</summary>
    public void Seed(float[] rows, int side)
    {
        var dimensions = Dimensions(side);
        var n = rows.Length / dimensions;
        if (n > Count) throw new ArgumentException($"{n} rows of features for {Count} images.", nameof(rows));
        var (values, done) = Table(side);
        rows.CopyTo(values, 0);
        Array.Fill(done, true, 0, n);
    }

    private (float[] Values, bool[] Done) Table(int side)
    {
        if (!_bySide.TryGetValue(side, out var table))
        {
            table = (new float[(long)Count * Dimensions(side)], new bool[Count]);
            _bySide[side] = table;
        }

        return table;
    }

    private void Compute(int[] ids, int side, float[] values, bool[] done)
    {
        if (ids.Length == 0) return;
        var dimensions = Dimensions(side);
        using var scope = NewDisposeScope();
        using var matrix = tensor(PerceptualHash.Matrix((int)exampleShape[0], (int)exampleShape[1], (int)exampleShape[2], side, maxPixel), [dimensions, _size]).t();
        var chunk = new byte[(long)Math.Min(Chunk, ids.Length) * _size];
        for (var start = 0; start < ids.Length; start += Chunk)
        {
            var n = Math.Min(Chunk, ids.Length - start);
            for (var k = 0; k < n; k++) pixels.AsSpan(ids[start + k] * _size, _size).CopyTo(chunk.AsSpan(k * _size, _size));
            using var x = tensor(chunk, [Math.Min(Chunk, ids.Length), _size], ScalarType.Byte);
            using var features = x.narrow(0, 0, n).to(ScalarType.Float32).matmul(matrix).contiguous();
            var result = features.data<float>().ToArray();
            for (var k = 0; k < n; k++)
            {
                Array.Copy(result, (long)k * dimensions, values, (long)ids[start + k] * dimensions, dimensions);
                done[ids[start + k]] = true;
            }
        }
    }
}
