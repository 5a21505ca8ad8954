using System.IO.Compression;
using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// The UCI optical digits (1,797 8x8 images, grey levels 0-16, ten classes), embedded in the
/// assembly so a first run needs no download (Embedded/ATTRIBUTION.md: CC BY 4.0). It has no
/// official test split, so train, validation and test are held out by HoldOut.
/// </summary>
public sealed class DigitsData : ITrainingData
{
    private const int Side = 8;
    private const double MaxPixel = 16;
    private readonly ImageSplit _train, _validation, _test;

    public DigitsData(DatasetSpec spec, Device device)
    {
        var (pixels, labels) = Read();
        var (train, validation, test) = HoldOut.Split(labels.Length, spec.ValidationFraction, spec.TestFraction);
        var stats = ImageSetBuilder.Statistics(pixels, train, Side * Side, MaxPixel);
        _train = ImageSetBuilder.Split(pixels, labels, train, ExampleShape, MaxPixel, stats, device);
        _validation = ImageSetBuilder.Split(pixels, labels, validation, ExampleShape, MaxPixel, stats, device);
        _test = ImageSetBuilder.Split(pixels, labels, test, ExampleShape, MaxPixel, stats, device);
    }

    public string Name => "digits";

    public DataTask Task => DataTask.Classification;

    public long[] ExampleShape { get; } = [1, Side, Side];

    public int Classes => 10;

    public IDataSplit Train => _train;

    public IDataSplit Validation => _validation;

    public IDataSplit Test => _test;

    /// <summary>Each line: 64 pixel values, then the digit.</summary>
    private static (byte[] Pixels, long[] Labels) Read()
    {
        using var stream = typeof(DigitsData).Assembly.GetManifestResourceStream("GreenTrain.Trainer.Data.digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded digits data set is missing from the assembly.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var pixels = new List<byte>(1797 * 64);
        var labels = new List<long>(1797);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var values = line.Split(',');
            for (var i = 0; i < Side * Side; i++) pixels.Add((byte)double.Parse(values[i], System.Globalization.CultureInfo.InvariantCulture));
            labels.Add((long)double.Parse(values[Side * Side], System.Globalization.CultureInfo.InvariantCulture));
        }

        return (pixels.ToArray(), labels.ToArray());
    }

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
        _test.Dispose();
    }
}
