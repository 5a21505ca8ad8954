using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; MIT licence): 60,000 training and 10,000 test
/// 28x28 grey images of ten kinds of clothing, read from the four IDX .gz files in the configured
/// folder or where Debian's dataset-fashion-mnist package puts them. The validation split is held out
/// of the training files; the official test files are the test split.
/// </summary>
public sealed class FashionMnistData : ITrainingData
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
    private const double MaxPixel = 255;
    private static readonly string[] Files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
    private readonly ImageSplit _train, _validation, _test;

    public FashionMnistData(DatasetSpec spec, Device device)
    {
        var folder = spec.Path ?? DefaultFolder;
        var missing = Files.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
        {
            throw new DataSetNotFoundException(
                $"Fashion-MNIST was not found in {folder} (missing {string.Join(", ", missing)}). " +
                "On Debian or Ubuntu install it with `sudo apt-get install dataset-fashion-mnist` (puts it in /usr/share/datasets/fashion-mnist), " +
                "or download the four .gz files from https://github.com/zalandoresearch/fashion-mnist and set dataset.path to their folder.");
        }

        var (trainPixels, trainLabels) = Read(folder, Files[0], Files[1]);
        var (testPixels, testLabels) = Read(folder, Files[2], Files[3]);
        var (train, validation, _) = HoldOut.Split(trainLabels.Length, spec.ValidationFraction, testFraction: 0);
        var stats = ImageSetBuilder.Statistics(trainPixels, train, 28 * 28, MaxPixel);
        _train = ImageSetBuilder.Split(trainPixels, trainLabels, train, ExampleShape, MaxPixel, stats, device);
        _validation = ImageSetBuilder.Split(trainPixels, trainLabels, validation, ExampleShape, MaxPixel, stats, device);
        _test = ImageSetBuilder.Split(testPixels, testLabels, [.. Enumerable.Range(0, testLabels.Length).Select(i => (long)i)], ExampleShape, MaxPixel, stats, device);
    }

    public string Name => "fashion-mnist";

    public DataTask Task => DataTask.Classification;

    public long[] ExampleShape { get; } = [1, 28, 28];

    public int Classes => 10;

    public IDataSplit Train => _train;

    public IDataSplit Validation => _validation;

    public IDataSplit Test => _test;

    private static (byte[] Pixels, long[] Labels) Read(string folder, string imagesFile, string labelsFile)
    {
        var (shape, pixels) = IdxFile.ReadBytes(Path.Combine(folder, imagesFile));
        var (_, labels) = IdxFile.ReadBytes(Path.Combine(folder, labelsFile));
        if (shape.Length != 3 || shape[1] != 28 || shape[2] != 28 || shape[0] != labels.Length)
        {
            throw new InvalidDataException($"{imagesFile} holds [{string.Join(", ", shape)}] images and {labelsFile} {labels.Length} labels; expected N 28x28 images and N labels.");
        }

        return (pixels, labels.Select(l => (long)l).ToArray());
    }

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
        _test.Dispose();
    }
}
