using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Methods.Quantization;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>One configuration of a workload: the dense baseline, or the same spec with one method added.</summary>
/// <param name="Key">Its short name on the command line (--variants dense,u80).</param>
public sealed record MethodVariant(string Key, string Name, MethodSpec? Method);

/// <summary>
/// The workloads and the variants compared on each, side by side, with the same seed (the same initial
/// weights and data order), steps and schedule: only the method differs. Pruning (global magnitude threshold unless
/// the variant says otherwise) runs dense for the first 10 % of steps and reaches its sparsity at 60 %, then retrains; 2:4 prunes once at half-way and retrains
/// (ASP); QAT starts fake quantization at 30 % (qat-freeze also stops updating the activation ranges at 80 %; qat4
/// rounds weights to 4 bits, -7..7 per output channel, and keeps activations at 8: W4A8; qat3 to 3 bits, -3..3).
/// </summary>
public static class MethodVariants
{
    /// <summary>The seed of the recorded single-seed runs (initial weights and data order).</summary>
    public const int DefaultSeed = 1337;

    public static readonly MethodVariant[] All =
    [
        new("dense", "dense", null),
        new("u50", "unstructured 50%", new MagnitudePruningSpec { FinalSparsity = 0.5 }),
        new("u80", "unstructured 80%", new MagnitudePruningSpec { FinalSparsity = 0.8 }),
        new("u90", "unstructured 90%", new MagnitudePruningSpec { FinalSparsity = 0.9 }),
        new("u80-layer", "unstructured 80%, per layer", new MagnitudePruningSpec { FinalSparsity = 0.8, Scope = PruningScope.Layer }),
        new("u80-first-dense", "unstructured 80%, first layer dense", new MagnitudePruningSpec { FinalSparsity = 0.8, DenseFirstLayer = true }),
        new("2:4", "2:4 structured", new StructuredSparsitySpec { PruneAtFraction = 0.5 }),
        new("qat", "QAT int8", new QuantizationAwareSpec { DelayFraction = 0.3 }),
        new("qat-freeze", "QAT int8, ranges frozen at 80%", new QuantizationAwareSpec { DelayFraction = 0.3, FreezeRangesFraction = 0.8 }),
        new("qat4", "QAT W4A8", new QuantizationAwareSpec { DelayFraction = 0.3, Bits = 4, ActivationBits = 8 }),
        new("qat3", "QAT W3A8", new QuantizationAwareSpec { DelayFraction = 0.3, Bits = 3, ActivationBits = 8 }),
    ];

    /// <summary>Fashion-MNIST's small CNN (width and twice width channels; 16/32: about 88 % test accuracy in 300 steps of 128 images on two CPU cores).</summary>
    public static ExperimentSpec Cnn(string folder, int steps, int width, int seed = DefaultSeed) => new()
    {
        Name = "methods-cnn-fashion",
        Dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist, Path = folder, ValidationFraction = 0.1 },
        Model = new ModelSpec { Kind = ModelKind.Cnn, Width = width, Depth = 2 },
        Training = Training(steps, batch: 128, learningRate: 3e-3, evalEvery: Math.Max(10, steps / 10), seed) with { EvalBatches = 4 },
    };

    /// <summary>The byte-level GPT (by default 2 blocks of 96 wide, context 64) on the fortunes text.</summary>
    public static ExperimentSpec Gpt(string textPath, int steps, int width = 96, int depth = 2, int seed = DefaultSeed) => new()
    {
        Name = "methods-gpt-fortunes",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = textPath, ValidationFraction = 0.05, TestFraction = 0.05 },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = width, Depth = depth, Heads = 4, ContextLength = 64 },
        Training = Training(steps, batch: 32, learningRate: 2e-3, evalEvery: Math.Max(10, steps / 10), seed) with { EvalBatches = 8 },
    };

    /// <summary>The bit widths the chosen QAT variants train for, int8 always first: the dense run gets a post-training row at each, so every QAT row has its same-width baseline.</summary>
    public static List<QuantizationGrid> PostTrainingGrids(IEnumerable<MethodVariant> variants) =>
        [QuantizationGrid.Int8, .. variants.Select(v => v.Method).OfType<QuantizationAwareSpec>().Select(q => new QuantizationGrid(q.Bits, q.ActivationBits))
            .Where(g => g != QuantizationGrid.Int8).Distinct()];

    /// <summary>The workload in another compute precision (every variant and the dense baseline alike).</summary>
    public static ExperimentSpec InPrecision(ExperimentSpec spec, PrecisionKind precision) =>
        spec with { Training = spec.Training with { Precision = precision } };

    public static ExperimentSpec With(ExperimentSpec spec, MethodVariant variant) => variant.Method is null ? spec : spec with
    {
        Name = $"{spec.Name}-{variant.Name}",
        Training = spec.Training with { Methods = [variant.Method] },
    };

    private static TrainingSpec Training(int steps, int batch, double learningRate, int evalEvery, int seed) => new()
    {
        Steps = steps,
        BatchSize = batch,
        Seed = seed,
        EvalEverySteps = evalEvery,
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = 0.01, GradientClip = 1.0 },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Min(50, steps / 10), MinLearningRateFraction = 0.05 },
    };
}
