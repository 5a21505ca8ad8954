using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Methods.MixtureOfExperts;
using GreenTrain.Trainer.Models;
using GreenTrain.Trainer.Models.Moe;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Models.Moe;

/// <summary>
/// Both expert dispatches (padded: one dispatch into [experts, capacity, width], one bmm per expert layer, one
/// combine; grouped: each expert one matmul over exactly its kept rows, one index_add) against the plainest reading
/// of the same maths: a loop over experts and their kept tokens, one token at a time.
/// </summary>
public sealed class BatchedExpertsTests
{
    private const int Width = 16, Hidden = 24, Experts = 4;

    [Theory]
    [InlineData(ExpertDispatch.Padded, 1, 1.0)]
    [InlineData(ExpertDispatch.Padded, 2, 0.75)]
    [InlineData(ExpertDispatch.Padded, 2, 4.0)]
    [InlineData(ExpertDispatch.Grouped, 1, 1.0)]
    [InlineData(ExpertDispatch.Grouped, 2, 0.75)]
    [InlineData(ExpertDispatch.Grouped, 2, 4.0)]
    public void Batched_experts_give_the_outputs_and_gradients_of_a_per_expert_loop(ExpertDispatch dispatch, int topK, double capacityFactor)
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var moe = new MoeFeedForward(Width, new MoeSpec { Experts = Experts, TopK = topK, CapacityFactor = capacityFactor, ExpertHidden = Hidden, Dispatch = dispatch });
        var weights = moe.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var p in weights.Values) p.normal_(0, 0.3);
        }
        var x = (randn(3, 10, Width) + tensor(new float[] { 1.5f }.Concat(Enumerable.Repeat(0f, Width - 1)).ToArray())).requires_grad_();
        var upstream = randn(3, 10, Width);

        var output = moe.forward(x);
        (output * upstream).sum().backward();
        var batched = (Output: output.detach().clone(), X: x.grad!.clone(), Router: weights["router.weight"].grad!.clone(),
            Expand: weights["expand"].grad!.clone(), Projection: weights["projection"].grad!.clone());

        var (xRef, routerRef, expandRef, projectionRef) = (x.detach().clone().requires_grad_(), weights["router.weight"].detach().clone().requires_grad_(),
            weights["expand"].detach().clone().requires_grad_(), weights["projection"].detach().clone().requires_grad_());
        var (reference, dropped) = PerExpertLoop(xRef, routerRef, expandRef, projectionRef, topK, capacityFactor);
        (reference * upstream).sum().backward();

        if (capacityFactor < Experts) dropped.Should().BeGreaterThan(0, "the case must drop assignments to test capacity");
        Close(batched.Output, reference.detach(), "outputs");
        Close(batched.X, xRef.grad!, "the input's gradient");
        Close(batched.Router, routerRef.grad!, "the router's gradient");
        Close(batched.Expand, expandRef.grad!, "the stacked expand weights' gradient");
        Close(batched.Projection, projectionRef.grad!, "the stacked projection weights' gradient");
    }

    [Fact]
    public void Capacity_padding_counts_as_computed_flops_with_the_padded_dispatch()
    {
        // model.moe.dispatch overrides the CPU's default (grouped).
        using var gpt = new Gpt(256, 10, 32, 2, 4, 0, new MoeSpec { Experts = 4, TopK = 2, CapacityFactor = 1.25, ExpertHidden = 64, Dispatch = ExpertDispatch.Padded });
        gpt.train();
        using (no_grad()) gpt.forward(randint(0, 256, [10, 10])).Dispose();

        gpt.MoeLayers.Should().AllSatisfy(l => l.ActiveDispatch.Should().Be(ExpertDispatch.Padded));
        var flops = MoeReport.Build(gpt, 32, tokensPerBatch: 100, auxiliaryLoss: null)["flopsPerToken"]!;

        // Capacity ceil(1.25 * 100 * 2 / 4) = 63, so each layer computes 4 * 63 = 252 slots for 200 assignments.
        var expertFlops = 2.0 * 2 * 32 * 64;
        flops["computed"]!.GetValue<double>().Should().BeApproximately(flops["active"]!.GetValue<double>() + 2 * (252 / 100.0 - 2) * expertFlops, 1e-6);
    }

    [Fact]
    public void The_grouped_dispatch_computes_only_the_kept_assignments()
    {
        using var gpt = new Gpt(256, 10, 32, 2, 4, 0, new MoeSpec { Experts = 4, TopK = 2, CapacityFactor = 0.5, ExpertHidden = 64 });
        gpt.train();
        using (no_grad()) gpt.forward(randint(0, 256, [10, 10])).Dispose();

        gpt.MoeLayers.Should().AllSatisfy(l => l.ActiveDispatch.Should().Be(ExpertDispatch.Grouped, "the CPU's default"));
        var flops = MoeReport.Build(gpt, 32, tokensPerBatch: 100, auxiliaryLoss: null)["flopsPerToken"]!;
        flops["processed"]!.GetValue<double>().Should().BeLessThan(flops["active"]!.GetValue<double>(), "capacity 0.5 must drop assignments");
        flops["computed"]!.GetValue<double>().Should().BeApproximately(flops["processed"]!.GetValue<double>(), 1e-6);
    }

    /// <summary>Route with the shared routing maths, then each expert's kept tokens one by one through its own weights.</summary>
    private static (Tensor Output, int Dropped) PerExpertLoop(Tensor x, Tensor router, Tensor expand, Tensor projection, int topK, double capacityFactor)
    {
        var flat = x.reshape(-1, Width);
        var routing = TopKRouting.Route(nn.functional.linear(flat, router), topK, capacityFactor);
        var (expertOf, tokenOf, kept) = (routing.ExpertOf.data<long>().ToArray(), routing.TokenOf.data<long>().ToArray(), routing.Kept.data<bool>().ToArray());
        var rows = Enumerable.Range(0, (int)flat.shape[0]).Select(_ => zeros(Width)).ToArray();
        for (var e = 0; e < Experts; e++)
        {
            for (var a = 0; a < expertOf.Length; a++)
            {
                if (expertOf[a] != e || !kept[a]) continue;
                var token = flat[tokenOf[a]];
                rows[tokenOf[a]] = rows[tokenOf[a]] + nn.functional.gelu(token.matmul(expand[e])).matmul(projection[e]) * routing.GateOf[a];
            }
        }
        return (stack(rows).view(x.shape), kept.Count(k => !k));
    }

    private static void Close(Tensor actual, Tensor expected, string what)
    {
        var gap = (actual - expected).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        scale.Should().BeGreaterThan(0, $"{what} must not be all zeros for the comparison to mean anything");
        gap.Should().BeLessThan(1e-5f * Math.Max(1, scale), $"{what} must match the per-expert loop within fp32 rounding");
    }
}
