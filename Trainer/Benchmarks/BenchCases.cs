using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>One throughput measurement: a spec, and how many steps warm up before the timed window.</summary>
public sealed record ThroughputCase(string Model, string Setting, ExperimentSpec Spec, int WarmupSteps);

/// <summary>
/// The benchmark's workloads, the same as pytorch_reference.py's: the small CNN on Fashion-MNIST and
/// nanoGPT's Shakespeare-char-sized GPT (6 layers, 6 heads, 384 wide, context 256, batch 64) on the
/// fortunes text as bytes, each in fp32 (TF32 off), TF32 and bf16; and the CNN trained to 91% test accuracy.
/// </summary>
public static class BenchCases
{
    public static readonly string[] Settings = ["fp32", "tf32", "bf16"];

    public static IEnumerable<ThroughputCase> Throughput(string fashionFolder, string textPath, bool quick)
    {
        foreach (var setting in Settings)
        {
            yield return new ThroughputCase("cnn-fashion", setting, Cnn(fashionFolder, setting, steps: quick ? 12 : 220, batch: quick ? 64 : 256), quick ? 2 : 20);
            yield return new ThroughputCase("gpt-text", setting, Gpt(textPath, setting, steps: quick ? 6 : 120, quick), quick ? 2 : 20);
        }
    }

    public static ExperimentSpec Cnn(string fashionFolder, string setting, int steps, int batch, TargetSpec? target = null, int evalEvery = 1_000_000) => new()
    {
        Name = $"bench-cnn-{setting}",
        Dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist, Path = fashionFolder, ValidationFraction = 0 },
        Model = new ModelSpec { Kind = ModelKind.Cnn, Width = 32, Depth = 2, Dropout = 0.1 },
        Training = Training(setting, steps, batch, learningRate: 2e-3, warmup: 100, target, evalEvery),
    };

    public static ExperimentSpec Gpt(string textPath, string setting, int steps, bool quick) => new()
    {
        Name = $"bench-gpt-{setting}",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = textPath, ValidationFraction = 0.05, TestFraction = 0.05 },
        Model = quick
            ? new ModelSpec { Kind = ModelKind.Gpt, Width = 64, Depth = 2, Heads = 2, ContextLength = 64 }
            : new ModelSpec { Kind = ModelKind.Gpt, Width = 384, Depth = 6, Heads = 6, ContextLength = 256 },
        Training = Training(setting, steps, quick ? 8 : 64, learningRate: 1e-3, warmup: 10, target: null, evalEvery: 1_000_000) with { EvalBatches = 4 },
    };

    private static TrainingSpec Training(string setting, int steps, int batch, double learningRate, int warmup, TargetSpec? target, int evalEvery) => new()
    {
        Steps = steps,
        BatchSize = batch,
        Precision = setting == "bf16" ? PrecisionKind.Bf16 : PrecisionKind.Fp32,
        AllowTf32 = setting == "tf32",
        Seed = 1337,
        EvalEverySteps = evalEvery,
        Target = target,
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = 0.05, GradientClip = 1.0 },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Min(warmup, steps - 1), MinLearningRateFraction = 0.05 },
    };
}
