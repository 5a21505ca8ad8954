using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>Builds image splits from host arrays: normalisation statistics come from the training split only.</summary>
internal static class ImageSetBuilder
{
    public static ImageSplit Split(byte[] pixels, long[] labels, long[] indices, long[] exampleShape, double maxPixel, (double Mean, double Std) stats, Device device)
    {
        var size = exampleShape.Aggregate(1L, (a, b) => a * b);
        var chosenPixels = new byte[indices.Length * size];
        var chosenLabels = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Array.Copy(pixels, indices[i] * size, chosenPixels, i * size, size);
            chosenLabels[i] = labels[indices[i]];
        }

        long[] shape = [indices.Length, .. exampleShape];
        var pixelTensor = tensor(chosenPixels, shape, ScalarType.Byte).to(device).DetachFromDisposeScope();
        var labelTensor = tensor(chosenLabels, ScalarType.Int64).to(device).DetachFromDisposeScope();
        return new ImageSplit(pixelTensor, labelTensor, maxPixel, stats.Mean, stats.Std) { SourceIndices = indices };
    }

    /// <summary>Mean and standard deviation of pixel/maxPixel over the given examples.</summary>
    public static (double Mean, double Std) Statistics(byte[] pixels, long[] indices, long exampleSize, double maxPixel)
    {
        double sum = 0, sumSquares = 0;
        foreach (var index in indices)
        {
            var span = pixels.AsSpan((int)(index * exampleSize), (int)exampleSize);
            foreach (var p in span)
            {
                var v = p / maxPixel;
                sum += v;
                sumSquares += v * v;
            }
        }

        var n = (double)indices.Length * exampleSize;
        var mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(sumSquares / n - mean * mean, 1e-12)));
    }
}
