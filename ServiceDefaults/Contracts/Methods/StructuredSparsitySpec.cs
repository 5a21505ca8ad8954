namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// N:M structured sparsity as NVIDIA's ASP applies it (Mishra et al., 2021, "Accelerating Sparse Deep
/// Neural Networks"): train dense, prune once so that every group of M consecutive weights along a layer's
/// input keeps its N largest, then retrain with the mask fixed. 2:4 is what sparse tensor cores run.
/// </summary>
public sealed record StructuredSparsitySpec : MethodSpec
{
    /// <summary>Weights kept in each group.</summary>
    public int Keep { get; init; } = 2;

    /// <summary>Weights in each group (along the input dimension).</summary>
    public int GroupSize { get; init; } = 4;

    /// <summary>Fraction of the run trained dense before the one pruning step; the rest retrains.</summary>
    public double PruneAtFraction { get; init; } = 0.5;

    public override IEnumerable<(string Field, string Message)> Validate()
    {
        if (GroupSize is < 2 or > 64) yield return ("groupSize", "must be between 2 and 64");
        if (Keep < 1 || Keep >= GroupSize) yield return ("keep", "must be >= 1 and less than groupSize");
        if (!IsFraction(PruneAtFraction, 0, 1) || PruneAtFraction >= 1) yield return ("pruneAtFraction", "must be >= 0 and < 1");
    }
}
