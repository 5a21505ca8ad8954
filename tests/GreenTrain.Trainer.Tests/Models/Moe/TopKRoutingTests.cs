using GreenTrain.Trainer.Models.Moe;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Models.Moe;

public sealed class TopKRoutingTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.25)]
    [InlineData(2, 0.5)]
    public void Each_token_goes_to_k_distinct_experts_and_no_expert_takes_more_than_its_capacity(int topK, double capacityFactor)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        const int tokens = 64, experts = 4;
        // Skewed logits, so that some experts are oversubscribed and capacity must drop assignments.
        var logits = randn(tokens, experts) + tensor(new float[] { 2, 0.5f, 0, -1 });

        var routing = TopKRouting.Route(logits, topK, capacityFactor);

        var expertOf = routing.ExpertOf.data<long>().ToArray();
        var tokenOf = routing.TokenOf.data<long>().ToArray();
        var kept = routing.Kept.data<bool>().ToArray();
        expertOf.Should().HaveCount(tokens * topK);
        foreach (var token in tokenOf.Distinct())
        {
            var chosen = Enumerable.Range(0, expertOf.Length).Where(a => tokenOf[a] == token).Select(a => expertOf[a]).ToList();
            chosen.Should().HaveCount(topK).And.OnlyHaveUniqueItems();
        }
        var capacity = (long)Math.Ceiling(capacityFactor * tokens * topK / experts);
        routing.Capacity.Should().Be(capacity);
        for (var e = 0; e < experts; e++)
        {
            var routedHere = Enumerable.Range(0, expertOf.Length).Where(a => expertOf[a] == e).ToList();
            var keptHere = routedHere.Where(a => kept[a]).ToList();
            keptHere.Count.Should().Be((int)Math.Min(capacity, routedHere.Count), "an expert fills its capacity before dropping");
            keptHere.Should().Equal(routedHere.Take(keptHere.Count), "assignments are kept in order: first choices, then second choices");
        }
    }

    [Fact]
    public void Top_two_gates_are_the_two_largest_probabilities_renormalised()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 2, 0, 3 }).reshape(1, 4);

        var gates = TopKRouting.Route(logits, 2, 2).GateOf.data<float>().ToArray();

        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(0), Math.Exp(3) };
        gates[0].Should().BeApproximately((float)(e[3] / (e[3] + e[1])), 1e-6f);
        gates[1].Should().BeApproximately((float)(e[1] / (e[3] + e[1])), 1e-6f);
    }

    [Fact]
    public void Load_balance_loss_is_alpha_n_sum_of_routed_share_times_mean_probability()
    {
        using var scope = NewDisposeScope();
        // 4 tokens, 2 experts. Top choices: 0, 0, 1, 0, so f = (3/4, 1/4).
        var values = new double[,] { { 2, 0 }, { 1, 0.5 }, { -1, 1 }, { 0.3, 0 } };
        var logits = tensor(values.Cast<double>().Select(v => (float)v).ToArray()).reshape(4, 2);

        var loss = TopKRouting.LoadBalanceLoss(TopKRouting.Route(logits, 1, 1.25), alpha: 0.01).item<float>();

        double P(int token, int expert) => Math.Exp(values[token, expert]) / (Math.Exp(values[token, 0]) + Math.Exp(values[token, 1]));
        var p0 = Enumerable.Range(0, 4).Average(t => P(t, 0));
        var p1 = Enumerable.Range(0, 4).Average(t => P(t, 1));
        var expected = 0.01 * 2 * (0.75 * p0 + 0.25 * p1);
        loss.Should().BeApproximately((float)expected, 1e-7f);
    }

    [Fact]
    public void Load_balance_loss_is_alpha_when_routing_is_even_and_z_loss_is_the_mean_squared_logsumexp()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 0, 0, 1, 1, 0, 0, 1 }).reshape(4, 2);

        TopKRouting.LoadBalanceLoss(TopKRouting.Route(logits, 1, 1), alpha: 0.01).item<float>().Should().BeApproximately(0.01f, 1e-7f);
        var lse = Math.Log(Math.E + 1);
        TopKRouting.ZLoss(logits, 0.001).item<float>().Should().BeApproximately((float)(0.001 * lse * lse), 1e-8f);
    }
}
