namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// The built-in forecaster and the alternatives tried against it (docs/benchmarks.md, "Carbon signal, third round"),
/// kept selectable so that every figure there can be made again (`backtest --builtin-variant`, `forecast-eval
/// --builtin-variant`). The live Scheduler always runs <see cref="Standard"/>.
/// </summary>
public enum BuiltinVariant
{
    /// <summary>Persistence 24 h, seasonal naive 168 h and the per-horizon ridge model, blended by recent error.</summary>
    Standard,

    /// <summary>The standard blend with intraday error correction on top (<see cref="ResidualCorrection"/>).</summary>
    Residual,

    /// <summary>The standard blend plus ridge models of 5- and 45-day half-life: the blend picks the training window per horizon.</summary>
    RidgeEnsemble,

    /// <summary>The standard blend plus gradient-boosted trees on the target itself (<see cref="GbtHorizonModel"/>).</summary>
    WithGbt,

    /// <summary>The standard blend plus gradient-boosted trees on the ridge model's residual.</summary>
    WithGbtOnRidge,

    /// <summary>Gradient-boosted trees in the ridge model's place (to score the trees on their own).</summary>
    GbtForRidge,

    /// <summary>Trees on the ridge model's residual in the ridge model's place.</summary>
    GbtOnRidgeForRidge,
}

public static class BuiltinVariants
{
    /// <summary>The command-line names, in the enum's order.</summary>
    public static readonly string[] Names = ["standard", "residual", "ridge-ensemble", "with-gbt", "with-gbt-on-ridge", "gbt-for-ridge", "gbt-on-ridge-for-ridge"];

    public static BuiltinVariant Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (BuiltinVariant)index
            : throw new ArgumentException($"Unknown built-in forecaster variant '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
    }
}
