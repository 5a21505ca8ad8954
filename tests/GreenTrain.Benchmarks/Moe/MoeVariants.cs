using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>One model of the comparison, with the steps it trains for (the schedule spans them).</summary>
public sealed record MoeVariant(string Key, string Name, ExperimentSpec Spec);

/// <summary>
/// The MoE GPT and its two dense baselines on the same corpus, seed, batch and schedule: "dense, equal active" has the
/// MoE's width, so every token goes through as many weights as in the MoE (top-1 with experts the size of the dense MLP;
/// top-k with experts k times narrower); "dense, equal total" is widened until its parameters match the MoE's total.
/// "dense, equal active, 2x steps" trains twice as long, so that its curve reaches the MoE's energy for the comparison
/// at equal energy (a dense model of the same active size spends less per step). That curve flatters dense (its cosine
/// schedule is sized for twice the steps), so "dense, equal active, equal spend" trains with its own schedule for as
/// many steps as the MoE's spend buys at the dense step's measured cost (EqualSpend; it needs both runs first).
/// "moe-padded" (not run unless asked) is the same MoE with the padded expert dispatch, whatever the device: beside
/// "moe" on a CPU it shows what the grouped dispatch saves per step.
/// </summary>
public static class MoeVariants
{
    private const int Heads = 4, Vocabulary = 256;

    public const string EqualSpendKey = "dense-active-equal-spend";
    public const string DefaultKeys = "moe,dense-active,dense-total,dense-active-2x," + EqualSpendKey;
    public const string KnownKeys = DefaultKeys + ",moe-padded";

    /// <summary>The variants trained up front, in order (the equal-spend run is sized after them: EqualSpend).</summary>
    public static List<MoeVariant> All(MoeArguments a)
    {
        var expertHidden = 4 * a.Width / a.TopK;
        var moe = new MoeSpec { Experts = a.Experts, TopK = a.TopK, CapacityFactor = a.CapacityFactor, ExpertHidden = expertHidden };
        var totalWidth = EqualTotalWidth(a.Width, a.Experts, expertHidden, a.Depth, a.Context);
        return
        [
            new("moe", $"MoE {a.Experts} experts top-{a.TopK}", Spec(a, "moe", a.Width, moe, a.Steps)),
            new("moe-padded", $"MoE {a.Experts} experts top-{a.TopK}, padded dispatch", Spec(a, "moe-padded", a.Width, moe with { Dispatch = ExpertDispatch.Padded }, a.Steps)),
            new("dense-active", "dense, equal active", Spec(a, "dense-active", a.Width, null, a.Steps)),
            new("dense-total", "dense, equal total", Spec(a, "dense-total", totalWidth, null, a.Steps)),
            new("dense-active-2x", "dense, equal active, 2x steps", Spec(a, "dense-active-2x", a.Width, null, 2 * a.Steps)),
        ];
    }

    /// <summary>Dense of equal active parameters with its own schedule over <paramref name="steps"/> (the MoE's spend over the dense step's cost).</summary>
    public static MoeVariant EqualSpend(MoeArguments a, int steps) =>
        new(EqualSpendKey, "dense, equal active, equal spend", Spec(a, EqualSpendKey, a.Width, null, steps));

    /// <summary>The steps a run of <paramref name="denseSpendPerStep"/> takes to spend what the MoE's <paramref name="moeSteps"/> did.</summary>
    public static int EqualSpendSteps(long moeSteps, double moeSpendPerStep, double denseSpendPerStep) =>
        (int)Math.Round(moeSteps * (moeSpendPerStep / denseSpendPerStep));

    /// <summary>The smallest multiple of the heads whose dense GPT has at least the MoE's parameters (blocks, embeddings, head).</summary>
    public static int EqualTotalWidth(int width, int experts, int expertHidden, int depth, int context)
    {
        double Dense(int w) => depth * 12.0 * w * w + 2.0 * Vocabulary * w + (double)context * w;
        var moeTotal = depth * (4.0 * width * width + width * experts + experts * 2.0 * width * expertHidden) + 2.0 * Vocabulary * width + (double)context * width;
        var candidate = width;
        while (Dense(candidate) < moeTotal) candidate += Heads;
        return candidate;
    }

    private static ExperimentSpec Spec(MoeArguments a, string key, int width, MoeSpec? moe, int steps) => new()
    {
        Name = $"moe-bench-{key}",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = a.TextPath, ValidationFraction = 0.05, TestFraction = 0.05 },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = width, Depth = a.Depth, Heads = Heads, ContextLength = a.Context, Moe = moe },
        Training = new TrainingSpec
        {
            Steps = steps,
            BatchSize = a.Batch,
            Seed = a.Seed,
            EvalEverySteps = Math.Max(10, steps / 12),
            EvalBatches = 8,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = 2e-3, WeightDecay = 0.01, GradientClip = 1.0 },
            Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Min(50, steps / 10), MinLearningRateFraction = 0.05 },
        },
    };
}
