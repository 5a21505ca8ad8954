namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// model.moe (gpt only): replaces the feed-forward of every Nth transformer block with a sparse mixture of experts.
/// Each token goes to its top-k experts (k = 1: Switch Transformer, Fedus et al. 2021; k = 2: Mixtral, with the two
/// gate weights renormalised to sum to 1); an expert takes at most ceil(capacityFactor * tokens * k / experts) of a
/// batch's assignments, in token order with first choices before second choices, and an assignment over that is
/// dropped: a token whose every assignment is dropped passes through the block's residual unchanged.
/// </summary>
public sealed record MoeSpec
{
    /// <summary>Experts per MoE block (at least 2).</summary>
    public int Experts { get; init; } = 4;

    /// <summary>Experts each token is routed to: 1 (Switch) or 2 (Mixtral); at most experts.</summary>
    public int TopK { get; init; } = 1;

    /// <summary>Slack over a perfectly even split (1.0 = tokens * k / experts per expert); Switch uses 1.0-1.25 in training.</summary>
    public double CapacityFactor { get; init; } = 1.25;

    /// <summary>Weight of Switch's load-balancing loss alpha * experts * sum_i f_i * P_i (0 turns it off).</summary>
    public double LoadBalanceAlpha { get; init; } = 0.01;

    /// <summary>Weight of ST-MoE's router z-loss, mean over tokens of logsumexp(router logits)^2 (Zoph et al. 2022; 0 turns it off).</summary>
    public double RouterZLossCoef { get; init; } = 0.001;

    /// <summary>Which blocks get experts: every Nth, counting from the first (1 = all; 2 = blocks 0, 2, 4, ...).</summary>
    public int EveryNthBlock { get; init; } = 1;

    /// <summary>Hidden units of each expert's MLP; left out, 4 x model.width like the dense MLP.</summary>
    public int? ExpertHidden { get; init; }

    /// <summary>
    /// How the experts compute their tokens; left out, by device: grouped on the CPU, padded elsewhere. Both give the
    /// same outputs and gradients; it changes only what a step costs (Trainer/README.md, "Mixture of experts").
    /// </summary>
    public ExpertDispatch? Dispatch { get; init; }
}

/// <summary>How a MoE layer's experts compute their tokens (model.moe.dispatch).</summary>
public enum ExpertDispatch
{
    /// <summary>Every expert its whole capacity, filled or not, in one batched matmul per layer: no host read, so a GPU step never waits.</summary>
    Padded,

    /// <summary>Each expert one matmul over exactly its kept tokens: no padding computed, but the per-expert counts are read to the host.</summary>
    Grouped,
}
