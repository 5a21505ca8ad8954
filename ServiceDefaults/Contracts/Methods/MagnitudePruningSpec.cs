namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// Gradual magnitude pruning (Zhu and Gupta, 2017, "To prune, or not to prune"): from StartFraction to
/// EndFraction of the run, every EverySteps steps the weights are pruned to
/// s_t = s_f + (s_i - s_f) (1 - progress)^3 by zeroing the smallest; the masks stay until the end.
/// </summary>
public sealed record MagnitudePruningSpec : MethodSpec
{
    /// <summary>Fraction of the pruned layers' weights that are zero at the end (0.8 = 80 % zeros).</summary>
    public double FinalSparsity { get; init; } = 0.8;

    /// <summary>Sparsity of the first pruning step (s_i).</summary>
    public double InitialSparsity { get; init; }

    /// <summary>Fraction of the run's steps trained dense before the first pruning step (t0).</summary>
    public double StartFraction { get; init; } = 0.1;

    /// <summary>Fraction of the run's steps at which the final sparsity is reached; the rest retrains the sparse model.</summary>
    public double EndFraction { get; init; } = 0.6;

    /// <summary>Optimizer steps between pruning steps (dt).</summary>
    public int EverySteps { get; init; } = 10;

    /// <summary>
    /// Global: one magnitude threshold over all pruned layers, so s_t is the sparsity of the whole model and layers
    /// with many redundant weights give up more. Layer: every layer pruned to s_t on its own (the paper's recipe).
    /// </summary>
    public PruningScope Scope { get; init; } = PruningScope.Global;

    /// <summary>
    /// Keep the first linear or convolution layer dense, a common choice for image models whose first layer is small and
    /// feeds every later one (Gale, Elsen and Hooker, 2019, arXiv:1902.09574; Evci et al., 2020, RigL). The final
    /// sparsity then applies to the other layers, so the model as a whole is a little less sparse (the report says how much).
    /// </summary>
    public bool DenseFirstLayer { get; init; }

    public override IEnumerable<(string Field, string Message)> Validate()
    {
        if (!IsFraction(FinalSparsity, 0, 0.99)) yield return ("finalSparsity", "must be between 0 and 0.99");
        if (!IsFraction(InitialSparsity, 0, FinalSparsity)) yield return ("initialSparsity", "must be between 0 and finalSparsity");
        if (!IsFraction(StartFraction, 0, 1)) yield return ("startFraction", "must be between 0 and 1");
        if (!IsFraction(EndFraction, StartFraction, 1) || EndFraction <= StartFraction) yield return ("endFraction", "must be > startFraction and <= 1");
        if (EverySteps < 1) yield return ("everySteps", "must be >= 1");
        if (!Enum.IsDefined(Scope)) yield return ("scope", "must be global or layer");
    }
}

/// <summary>Over what magnitudes are compared when pruning: the whole model's weights, or each layer's.</summary>
public enum PruningScope
{
    Global,
    Layer,
}
