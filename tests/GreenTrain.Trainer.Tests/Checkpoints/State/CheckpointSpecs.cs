using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;

namespace GreenTrain.Trainer.Tests.Checkpoints.State;

/// <summary>Small specs for resume tests: each exercises a different part of what a checkpoint must hold.</summary>
internal static class CheckpointSpecs
{
    /// <summary>An MLP on digits with AdamW, warm-up and cosine decay, evaluated every 20 steps.</summary>
    public static ExperimentSpec Digits(PrecisionKind precision, int steps) => new()
    {
        Name = $"resume-digits-{precision}",
        Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 64, Depth = 1 },
        Training = new TrainingSpec
        {
            Steps = steps,
            BatchSize = 64,
            Precision = precision,
            EvalEverySteps = 20,
            EvalBatches = 2,
            Optimizer = new OptimizerSpec { LearningRate = 3e-3, GradientClip = 1.0 },
            Schedule = new ScheduleSpec { WarmupSteps = 5 },
        },
    };

    /// <summary>A one-block GPT with dropout on a small text file: its batches are windows and its dropout draws from the CPU generator.</summary>
    public static ExperimentSpec TinyGptWithDropout(int steps) => new()
    {
        Name = "resume-gpt-dropout",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = TextCorpus.Value, ValidationFraction = 0.1, TestFraction = 0.1 },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 32, Depth = 1, Heads = 2, ContextLength = 16, Dropout = 0.2 },
        Training = new TrainingSpec
        {
            Steps = steps,
            BatchSize = 8,
            AccumulationSteps = 2,
            EvalEverySteps = 20,
            EvalBatches = 1,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 0.01 },
        },
    };

    private static readonly Lazy<string> TextCorpus = new(() =>
    {
        var path = Path.Combine(TempFolder.Create("corpus"), "corpus.txt");
        var lines = Enumerable.Range(0, 400).Select(i => $"line {i}: the quick brown fox {i % 7} jumps over the lazy dog {i % 11}.");
        File.WriteAllLines(path, lines);
        return path;
    });
}
