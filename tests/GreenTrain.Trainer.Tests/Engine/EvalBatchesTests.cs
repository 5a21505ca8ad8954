using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Engine;

/// <summary>RunOptions.EvalBatches: a sweep's intermediate rung scores on the first N validation batches, outside the spec.</summary>
public sealed class EvalBatchesTests
{
    [Fact]
    public void An_evaluation_scores_only_the_first_n_validation_batches_when_the_run_asks_for_n()
    {
        var spec = SpecFactory.Digits(steps: 20);
        spec = spec with { Training = spec.Training with { EvalEverySteps = 1_000 } }; // one evaluation, at the end

        var rung = Train(spec, evalBatches: 2);
        var full = Train(spec, evalBatches: null);

        rung.BatchStarts.Should().Equal([0L, 16L], "the first two batches of 16 examples, in order");
        full.BatchStarts.Should().HaveCount((int)((full.Validation + 15) / 16), "without the setting it scores the whole split");
        full.Validation.Should().BeGreaterThan(32, "so the two batches are a part of the split");
        (rung.Accuracy * 32).Should().BeApproximately(Math.Round(rung.Accuracy * 32), 1e-9, "the accuracy of 32 examples");
        rung.SpecHash.Should().Be(full.SpecHash, "the setting is the machine's, not the experiment's: a checkpoint resumes across it");
    }

    private static (double Accuracy, string SpecHash, List<long> BatchStarts, long Validation) Train(GreenTrain.ServiceDefaults.Contracts.ExperimentSpec spec, int? evalBatches)
    {
        var options = new RunOptions { CpuThreads = 1, EvaluationBatchSize = 16, EvalBatches = evalBatches };
        var data = new CountingData(DataSetFactory.Open(spec, CPU));
        var validation = data.Validation.Count;
        using var state = TrainingSession.Prepare(spec, CPU, 1, data);
        TrainingSession.Loop(state, options, [], NullLogger.Instance).Run(state);
        state.Evaluations.Should().ContainSingle();
        return (state.Evaluations[0].Accuracy!.Value, state.SpecHash, data.ValidationBatchStarts, validation);
    }

    /// <summary>The real digits data, with the first index of every validation batch the evaluator gathers written down.</summary>
    private sealed class CountingData(ITrainingData inner) : ITrainingData
    {
        public List<long> ValidationBatchStarts { get; } = [];

        public string Name => inner.Name;
        public DataTask Task => inner.Task;
        public long[] ExampleShape => inner.ExampleShape;
        public int Classes => inner.Classes;
        public IDataSplit Train => inner.Train;
        public IDataSplit Validation => new CountingSplit(inner.Validation, ValidationBatchStarts);
        public IDataSplit Test => inner.Test;
        public void Dispose() => inner.Dispose();
    }

    private sealed class CountingSplit(IDataSplit inner, List<long> starts) : IDataSplit
    {
        public long Count => inner.Count;
        public long TargetsPerExample => inner.TargetsPerExample;

        public Batch Gather(Tensor indices)
        {
            starts.Add(indices[0].item<long>());
            return inner.Gather(indices);
        }
    }
}
