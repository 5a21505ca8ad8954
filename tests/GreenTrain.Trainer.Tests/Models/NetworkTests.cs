using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Models;

public sealed class NetworkTests
{
    [Fact]
    public void Mlp_counts_two_flops_per_weight_of_each_layer()
    {
        using var mlp = new Mlp(64, 32, 2, 10, 0);
        using var logits = mlp.forward(randn(5, 1, 8, 8));

        logits.shape.Should().Equal(5, 10);
        mlp.ForwardFlopsPerExample.Should().Be(2.0 * (64 * 32 + 32 * 32 + 32 * 10));
    }

    [Fact]
    public void Small_cnn_maps_images_to_class_logits()
    {
        using var cnn = new SmallCnn([1, 28, 28], 8, 2, 10, 0.1);
        using var logits = cnn.forward(randn(3, 1, 28, 28));

        logits.shape.Should().Equal(3, 10);
        cnn.ForwardFlopsPerExample.Should().Be(2.0 * (1 * 8 * 9 * 28 * 28 + 8 * 16 * 9 * 14 * 14 + 16 * 7 * 7 * 10));
    }

    [Fact]
    public void ResNet_maps_images_to_class_logits_through_three_stages()
    {
        using var resnet = new ResNetCnn([1, 8, 8], 8, 1, 10);
        using var logits = resnet.forward(randn(2, 1, 8, 8));

        logits.shape.Should().Equal(2, 10);
        resnet.ForwardFlopsPerExample.Should().BePositive();
    }

    [Fact]
    public void Gpt_is_causal_a_later_token_never_changes_earlier_logits()
    {
        using var gpt = new Gpt(vocabulary: 50, contextLength: 16, width: 32, layers: 2, heads: 4, dropoutRate: 0);
        gpt.eval();
        using var tokens = randint(0, 50, [1, 16]);
        using var changed = tokens.clone();
        changed[0, 10] = tokens[0, 10].item<long>() == 49 ? 48L : 49L;

        using var a = gpt.forward(tokens);
        using var b = gpt.forward(changed);

        a.shape.Should().Equal(1, 16, 50);
        a.narrow(1, 0, 10).allclose(b.narrow(1, 0, 10), 1e-5, 1e-6).Should().BeTrue();
        a.narrow(1, 10, 6).allclose(b.narrow(1, 10, 6), 1e-5, 1e-6).Should().BeFalse();
    }
}
