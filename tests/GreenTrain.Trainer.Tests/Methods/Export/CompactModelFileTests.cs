using GreenTrain.Trainer.Methods.Export;
using GreenTrain.Trainer.Methods.Quantization;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Export;

public sealed class CompactModelFileTests
{
    [Fact]
    public void Each_encoding_reads_back_what_it_stands_for_and_sparse_and_int8_files_are_smaller()
    {
        manual_seed(3);
        using var dense = randn(64, 32);
        using var sparse = dense.mul(rand(64, 32).gt(0.8)); // about 80 % zeros

        var fp32File = CompactModelFile.Write([("w", dense, TensorEncoding.Float32)]);
        var sparseFile = CompactModelFile.Write([("w", sparse, TensorEncoding.SparseFloat32)]);
        var int8File = CompactModelFile.Write([("w", dense, TensorEncoding.Int8PerChannel)], new Dictionary<string, float[]> { ["w"] = [-1f, 2f] });

        CompactModelFile.Read(fp32File).Tensors["w"].allclose(dense, 0, 0).Should().BeTrue();
        CompactModelFile.Read(sparseFile).Tensors["w"].allclose(sparse, 0, 0).Should().BeTrue();
        using var rounded = FakeQuantization.FakeQuantizeWeights(dense);
        var int8 = CompactModelFile.Read(int8File);
        int8.Tensors["w"].allclose(rounded, 0, 0).Should().BeTrue();
        int8.ActivationRanges["w"].Should().Equal(-1f, 2f);
        sparseFile.Length.Should().BeLessThan(fp32File.Length * 3 / 10, "a bit per weight plus a fifth of the values");
        int8File.Length.Should().BeLessThan(fp32File.Length * 3 / 10, "a byte per weight plus a scale per row");
    }
}
