using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Sizing;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Models;

/// <summary>The memory guard counts parameters from the spec alone; it must count exactly what the Trainer's networks build.</summary>
public class ModelFootprintTests
{
    private static long Built(nn.Module module) => module.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(DatasetKind.Digits, 32, 1)]
    [InlineData(DatasetKind.Digits, 128, 3)]
    [InlineData(DatasetKind.FashionMnist, 64, 2)]
    public void Mlp_parameters_match_the_built_network(DatasetKind data, int width, int depth)
    {
        var spec = new ExperimentSpec { Dataset = new DatasetSpec { Kind = data }, Model = new ModelSpec { Kind = ModelKind.Mlp, Width = width, Depth = depth } };
        long inputs = data == DatasetKind.Digits ? 64 : 784;
        using var built = new Mlp(inputs, width, depth, 10, 0);

        ModelFootprint.Of(spec).Parameters.Should().Be(Built(built));
    }

    [Theory]
    [InlineData(DatasetKind.Digits, 8, 2)]
    [InlineData(DatasetKind.FashionMnist, 16, 3)]
    public void Cnn_and_resnet_parameters_match_the_built_networks(DatasetKind data, int width, int depth)
    {
        long[] shape = data == DatasetKind.Digits ? [1, 8, 8] : [1, 28, 28];
        var cnn = new ExperimentSpec { Dataset = new DatasetSpec { Kind = data }, Model = new ModelSpec { Kind = ModelKind.Cnn, Width = width, Depth = depth } };
        var resnet = cnn with { Model = cnn.Model with { Kind = ModelKind.ResNet } };
        using var builtCnn = new SmallCnn(shape, width, depth, 10, 0);
        using var builtResNet = new ResNetCnn(shape, width, depth, 10);

        ModelFootprint.Of(cnn).Parameters.Should().Be(Built(builtCnn));
        ModelFootprint.Of(resnet).Parameters.Should().Be(Built(builtResNet));
    }

    [Fact]
    public void Gpt_parameters_match_the_built_network()
    {
        var spec = new ExperimentSpec
        {
            Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = "/x" },
            Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 64, Depth = 2, Heads = 4, ContextLength = 32 },
        };
        using var built = new Gpt(256, 32, 64, 2, 4, 0);

        ModelFootprint.Of(spec).Parameters.Should().Be(Built(built));
    }

    [Fact]
    public void Mixture_of_experts_gpt_parameters_match_the_built_network()
    {
        var moe = new MoeSpec { Experts = 4, TopK = 2, EveryNthBlock = 2, ExpertHidden = 96 };
        var spec = new ExperimentSpec
        {
            Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = "/x" },
            Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 64, Depth = 3, Heads = 4, ContextLength = 32, Moe = moe },
        };
        using var built = new Gpt(256, 32, 64, 3, 4, 0, moe);

        ModelFootprint.Of(spec).Parameters.Should().Be(Built(built));
    }

    [Fact]
    public void A_trillion_parameter_mlp_is_counted_without_allocating_and_refused()
    {
        var spec = new ExperimentSpec { Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 65536, Depth = 256 } };

        var footprint = ModelFootprint.Of(spec);

        footprint.Parameters.Should().BeApproximately(255.0 * 65536 * 65537 + 64 * 65536 + 65536 + 65536 * 10 + 10, 1);
        footprint.TotalGiB.Should().BeGreaterThan(10_000, "fp32 weights, gradients and two AdamW moments are 16 bytes a parameter");
        ModelMemoryLimit.Refusal(spec, 16.0 * (1L << 30), "Worker:MaxModelMemoryGiB").Should().Contain("model.width 65536");
    }
}
