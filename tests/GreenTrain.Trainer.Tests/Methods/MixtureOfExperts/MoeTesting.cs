using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Tests.Methods.MixtureOfExperts;

/// <summary>A byte GPT with a mixture of experts on a small real-text corpus, small enough to train in seconds.</summary>
internal sealed class MoeTesting : IDisposable
{
    public string Corpus { get; } = Path.GetTempFileName();

    public MoeTesting() => File.WriteAllText(Corpus, string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}: the quick brown fox jumps over the lazy dog {i % 7}.\n")));

    public ExperimentSpec Spec(MoeSpec? moe, PrecisionKind precision = PrecisionKind.Fp32, int steps = 20, int accumulation = 1) => new()
    {
        Name = "moe-gpt",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = Corpus, ValidationFraction = 0.1, TestFraction = 0.1 },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 32, Depth = 2, Heads = 4, ContextLength = 16, Moe = moe },
        Training = new TrainingSpec
        {
            Steps = steps, BatchSize = 8, AccumulationSteps = accumulation, Precision = precision, Seed = 5, EvalEverySteps = 10, EvalBatches = 2,
            Optimizer = new OptimizerSpec { LearningRate = 3e-3 }, Schedule = new ScheduleSpec { WarmupSteps = 2 },
        },
    };

    public void Dispose() => File.Delete(Corpus);
}
