using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models.Moe;

/// <summary>
/// Where one batch's tokens go. An assignment is one (token, choice) pair; assignments are numbered choice-major
/// (all first choices in token order, then all second choices), which is the order experts fill their capacity in,
/// so a first choice is never dropped to make room for another token's second choice (GShard, ST-MoE).
/// </summary>
/// <param name="Probabilities">Router softmax [tokens, experts], fp32, differentiable.</param>
/// <param name="ExpertOf">Expert of each assignment [k * tokens].</param>
/// <param name="TokenOf">Token of each assignment [k * tokens].</param>
/// <param name="GateOf">Weight of each assignment's expert output [k * tokens], fp32, differentiable.</param>
/// <param name="Kept">Whether the assignment fits its expert's capacity [k * tokens].</param>
/// <param name="Place">The assignment's place in its expert's queue [k * tokens] (0-based; kept where less than Capacity).</param>
public sealed record Routing(Tensor Probabilities, Tensor ExpertOf, Tensor TokenOf, Tensor GateOf, Tensor Kept, Tensor Place, int Experts, int TopK, long Capacity);

/// <summary>The maths of top-k routing with expert capacity, and the two auxiliary losses; pure functions of tensors.</summary>
public static class TopKRouting
{
    /// <summary>ceil(capacityFactor * tokens * k / experts): the assignments one expert takes from a batch (at least 1, at most tokens).</summary>
    public static long Capacity(long tokens, int experts, int topK, double capacityFactor) =>
        Math.Clamp((long)Math.Ceiling(capacityFactor * tokens * topK / experts), 1, tokens);

    /// <param name="logits">Router logits [tokens, experts] in fp32.</param>
    /// <remarks>k = 1 (Switch): the gate is the chosen expert's probability, so the router learns through it. k &gt; 1
    /// (Mixtral): the top-k probabilities renormalised to sum to 1.</remarks>
    public static Routing Route(Tensor logits, int topK, double capacityFactor)
    {
        var (tokens, experts) = (logits.shape[0], (int)logits.shape[1]);
        var probabilities = logits.softmax(1);
        var (top, chosen) = probabilities.topk(topK, dim: 1);
        var gates = topK == 1 ? top : top / top.sum(1, keepdim: true);
        var expertOf = chosen.t().reshape(-1);
        var tokenOf = arange(tokens, ScalarType.Int64, logits.device).repeat(topK);
        var gateOf = gates.t().reshape(-1);
        var capacity = Capacity(tokens, experts, topK, capacityFactor);

        // An assignment's place in its expert's queue: how many earlier assignments chose the same expert.
        var oneHot = nn.functional.one_hot(expertOf, experts);
        var place = (oneHot.cumsum(0) * oneHot).sum(1) - 1;
        return new Routing(probabilities, expertOf, tokenOf, gateOf, place.lt(capacity), place, experts, topK, capacity);
    }

    /// <summary>
    /// Switch's load-balancing loss alpha * N * sum_i f_i * P_i: f_i the share of the batch's assignments routed to
    /// expert i (before capacity; for k = 1 the share of tokens whose top choice is i), P_i the mean router
    /// probability of i. It is alpha when routing is even, and only P carries a gradient.
    /// </summary>
    public static Tensor LoadBalanceLoss(Routing routing, double alpha)
    {
        var assignments = routing.ExpertOf.shape[0];
        var share = PerExpert(routing.ExpertOf, routing.Experts).to(ScalarType.Float32) / assignments;
        var meanProbability = routing.Probabilities.mean([0]);
        return (share * meanProbability).sum() * (alpha * routing.Experts);
    }

    /// <summary>
    /// How many of <paramref name="experts"/> bins each index falls in (int64), by index_add: unlike bincount,
    /// which reads the largest index back to the host on CUDA, it never waits for the device.
    /// </summary>
    public static Tensor PerExpert(Tensor index, int experts) =>
        zeros(experts, ScalarType.Int64, index.device).index_add_(0, index, ones_like(index), 1);

    /// <summary>ST-MoE's router z-loss: coefficient * mean over tokens of logsumexp(logits)^2, which keeps the router's logits small.</summary>
    public static Tensor ZLoss(Tensor logits, double coefficient) => logits.logsumexp(1).square().mean() * coefficient;
}
