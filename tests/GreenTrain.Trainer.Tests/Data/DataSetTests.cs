using System.IO.Compression;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data;

public sealed class DataSetTests
{
    [Fact]
    public void Digits_are_embedded_and_split_into_disjoint_train_validation_and_test()
    {
        using var digits = new DigitsData(new DatasetSpec { ValidationFraction = 0.1, TestFraction = 0.2 }, CPU);

        (digits.Train.Count + digits.Validation.Count + digits.Test.Count).Should().Be(1797);
        digits.Test.Count.Should().Be(359);
        digits.Validation.Count.Should().Be(180);
        using var batch = digits.Train.Gather(arange(0, 32, dtype: ScalarType.Int64));
        batch.Input.shape.Should().Equal(32, 1, 8, 8);
        using var mean = batch.Input.mean();
        Math.Abs(mean.item<float>()).Should().BeLessThan(0.3f, "inputs are normalised with the training split's statistics");
        batch.Target.data<long>().ToArray().Should().OnlyContain(label => label >= 0 && label <= 9);
    }

    [Fact]
    public void Idx_files_are_read_with_their_big_endian_shape()
    {
        var path = Path.Combine(Path.GetTempPath(), $"idx-{Guid.NewGuid():N}.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
            gzip.Write([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        }

        var (shape, data) = IdxFile.ReadBytes(path);
        File.Delete(path);

        shape.Should().Equal(2, 2, 3);
        data.Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    [Fact]
    public void Missing_fashion_mnist_says_how_to_get_it()
    {
        var act = () => new FashionMnistData(new DatasetSpec { Kind = DatasetKind.FashionMnist, Path = "/nonexistent/fashion" }, CPU);

        act.Should().Throw<DataSetNotFoundException>().WithMessage("*/nonexistent/fashion*apt-get install dataset-fashion-mnist*");
    }

    [Fact]
    public void Fashion_mnist_from_the_debian_package_has_its_official_splits()
    {
        using var fashion = new FashionMnistData(new DatasetSpec { Kind = DatasetKind.FashionMnist, ValidationFraction = 0.1 }, CPU);

        fashion.Train.Count.Should().Be(54000);
        fashion.Validation.Count.Should().Be(6000);
        fashion.Test.Count.Should().Be(10000);
        using var batch = fashion.Test.Gather(arange(0, 4, dtype: ScalarType.Int64));
        batch.Input.shape.Should().Equal(4, 1, 28, 28);
        batch.Target.data<long>().ToArray().Should().Equal(9, 2, 1, 1); // the first t10k labels: ankle boot, pullover, trouser, trouser
    }

    [Fact]
    public void A_text_folder_becomes_windows_whose_targets_are_the_next_tokens()
    {
        var folder = Directory.CreateTempSubdirectory("corpus-").FullName;
        File.WriteAllText(Path.Combine(folder, "a.txt"), string.Concat(Enumerable.Repeat("abcdefgh", 50)));
        File.WriteAllBytes(Path.Combine(folder, "b.dat"), [1, 0, 2]);
        File.CreateSymbolicLink(Path.Combine(folder, "c.u8"), Path.Combine(folder, "a.txt"));

        using var text = new TextCorpusData(new DatasetSpec { Kind = DatasetKind.Text, Path = folder, ValidationFraction = 0.1, TestFraction = 0.1 }, contextLength: 8, CPU);
        Directory.Delete(folder, recursive: true);

        text.Tokens.Should().Be(401, "400 letters and one separating newline; the binary file and the link are skipped");
        text.Classes.Should().Be(256);
        using var batch = text.Train.Gather(tensor(new long[] { 0, 1 }));
        batch.Input.data<long>().ToArray().Should().Equal("abcdefghabcdefgh".Select(c => (long)c));
        batch.Target.data<long>().ToArray().Should().Equal("bcdefghabcdefgha".Select(c => (long)c));
    }

    [Fact]
    public void Gpt2_byte_pair_encoding_uses_the_shipped_vocabulary()
    {
        TextTokenizer.Encode("Hello world", TokenizerKind.Gpt2).Should().Equal(15496, 995);
        TextTokenizer.VocabularySize(TokenizerKind.Gpt2).Should().Be(50257);
    }
}
