using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Models.Moe;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Models.Moe;

public sealed class MoeFeedForwardTests
{
    private const int Width = 16;

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.75)]
    public void Sparse_experts_give_what_a_dense_computation_of_every_expert_gives_and_dropped_tokens_get_nothing(int topK, double capacityFactor)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var moe = new MoeFeedForward(Width, new MoeSpec { Experts = 4, TopK = topK, CapacityFactor = capacityFactor }) { KeepRouting = true };
        var x = randn(2, 24, Width);

        var output = moe.forward(x).reshape(-1, Width);

        var routing = moe.LastRouting!;
        var flat = x.reshape(-1, Width);
        var weights = moe.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // Dense reference: every expert on every token, then each token's kept assignments summed with their gates.
        var everyExpert = Enumerable.Range(0, 4).Select(e =>
            nn.functional.gelu(flat.matmul(weights["expand"][e])).matmul(weights["projection"][e])).ToArray();
        var reference = zeros_like(flat);
        var (expertOf, tokenOf, gateOf, kept) = (routing.ExpertOf.data<long>().ToArray(), routing.TokenOf.data<long>().ToArray(), routing.GateOf.data<float>().ToArray(), routing.Kept.data<bool>().ToArray());
        var droppedTokens = Enumerable.Range(0, (int)flat.shape[0]).Where(t => !Enumerable.Range(0, kept.Length).Any(a => tokenOf[a] == t && kept[a])).ToList();
        for (var a = 0; a < expertOf.Length; a++)
        {
            if (kept[a]) reference[tokenOf[a]] += everyExpert[expertOf[a]][tokenOf[a]] * gateOf[a];
        }

        kept.Should().Contain(false, "the case must drop some assignments to test capacity");
        output.allclose(reference, rtol: 1e-5, atol: 1e-6).Should().BeTrue("the gathered computation must equal the dense one");
        foreach (var t in droppedTokens) output[t].abs().max().item<float>().Should().Be(0, "a dropped token adds nothing to its residual");
        if (topK == 1) droppedTokens.Should().NotBeEmpty();
    }

    [Fact]
    public void The_router_computes_in_fp32_when_the_model_computes_in_bf16()
    {
        using var scope = NewDisposeScope();
        using var moe = new MoeFeedForward(Width, new MoeSpec { Experts = 4, TopK = 2 }) { KeepRouting = true };
        moe.to(ScalarType.BFloat16);

        var output = moe.forward(randn(1, 8, Width).to(ScalarType.BFloat16));

        output.dtype.Should().Be(ScalarType.BFloat16);
        moe.LastRouting!.Probabilities.dtype.Should().Be(ScalarType.Float32);
        moe.AuxiliaryLoss!.dtype.Should().Be(ScalarType.Float32);
    }

    [Fact]
    public void Only_training_batches_count_in_the_expert_load()
    {
        using var scope = NewDisposeScope();
        using var moe = new MoeFeedForward(Width, new MoeSpec { Experts = 4, TopK = 2, CapacityFactor = 4 });
        moe.train();
        moe.forward(randn(3, 10, Width));
        moe.eval();
        moe.forward(randn(3, 10, Width));

        moe.Load.Tokens.Should().Be(30);
        moe.Load.Routed.Sum().Should().Be(60, "two assignments per token");
        moe.Load.Processed.Should().Equal(moe.Load.Routed, "capacity factor = experts drops nothing");
        moe.Load.TokensDropped.Should().Be(0);
    }
}
