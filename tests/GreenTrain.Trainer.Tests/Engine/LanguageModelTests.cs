using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenTrain.Trainer.Tests.Engine;

public sealed class LanguageModelTests
{
    [Fact]
    public void A_small_gpt_learns_a_text_corpus_and_reports_tokens_per_second()
    {
        var corpus = Path.GetTempFileName();
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));
        var spec = new ExperimentSpec
        {
            Name = "tiny-gpt",
            Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = corpus },
            Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 32, Depth = 2, Heads = 4, ContextLength = 32 },
            Training = new TrainingSpec
            {
                Steps = 80, BatchSize = 16, EvalEverySteps = 40, Precision = PrecisionKind.Bf16,
                Optimizer = new OptimizerSpec { LearningRate = 3e-3 }, Schedule = new ScheduleSpec { WarmupSteps = 10 },
            },
        };

        var result = TrainingSession.Run(spec, new RunOptions { CpuThreads = 1 }, [], NullLogger.Instance);
        File.Delete(corpus);

        result.Metric.Should().Be("loss");
        result.Final!.Loss.Should().BeLessThan(1.5, "a repeated sentence is easy to predict (a uniform guess over bytes scores ln 256 = 5.5)");
        result.Performance.TokensPerSecond.Should().Be(result.Performance.SamplesPerSecond * 32);
    }
}
