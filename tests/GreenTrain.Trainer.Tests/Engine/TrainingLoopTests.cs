using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Engine;

public sealed class TrainingLoopTests
{
    /// <summary>Records something at one event, for tests; it only watches.</summary>
    private sealed class Probe(TrainingEvent at, Action<TrainingState> record) : ITrainingObserver
    {
        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == at) record(state);
        }
    }

    private static TrainingState Train(ExperimentSpec spec, params ITrainingObserver[] observers)
    {
        var state = TrainingSession.Prepare(spec, CPU);
        new TrainingLoop([.. TrainingSession.StandardObservers(spec), .. observers], NullLogger.Instance).Run(state);
        return state;
    }

    [Fact]
    public void No_tensors_leak_across_100_steps()
    {
        var live = new Dictionary<long, long>();
        var probe = new Probe(TrainingEvent.StepStart, s => live[s.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        using var state = Train(SpecFactory.Digits(PrecisionKind.Bf16, steps: 120), probe);

        live[110].Should().Be(live[10], "every step's temporaries are disposed with its scope");
    }

    [Fact]
    public void Accumulating_k_micro_batches_gives_the_update_of_one_k_times_larger_batch()
    {
        using var accumulated = Train(SpecFactory.Digits(steps: 3, batchSize: 16, accumulation: 4));
        using var large = Train(SpecFactory.Digits(steps: 3, batchSize: 64, accumulation: 1));

        accumulated.Parameters.Master.allclose(large.Parameters.Master, rtol: 1e-4, atol: 1e-6).Should().BeTrue();
        using var moved = accumulated.Parameters.Master.sub(TrainingSession.Prepare(SpecFactory.Digits(steps: 3), CPU).Parameters.Master).abs().max();
        moved.item<float>().Should().BeGreaterThan(1e-4f, "three steps must change the weights, or the comparison proves nothing");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_a_different_one()
    {
        using var first = Train(SpecFactory.Digits(steps: 20));
        using var again = Train(SpecFactory.Digits(steps: 20));
        using var other = Train(SpecFactory.Digits(steps: 20, seed: 7));

        first.Parameters.Master.allclose(again.Parameters.Master, 0, 0).Should().BeTrue();
        first.Parameters.Master.allclose(other.Parameters.Master, 1e-3, 1e-5).Should().BeFalse();
    }

    [Fact]
    public void Evaluates_every_n_steps_and_at_the_end()
    {
        var spec = SpecFactory.Digits(steps: 110);
        using var state = Train(spec with { Training = spec.Training with { EvalEverySteps = 25 } });

        state.Evaluations.Select(e => e.Step).Should().Equal(25, 50, 75, 100, 110);
        state.Evaluations[^1].Loss.Should().BeLessThan(state.Evaluations[0].Loss);
    }

    [Fact]
    public void Stops_when_the_target_metric_is_reached()
    {
        var spec = SpecFactory.Digits(steps: 400);
        spec = spec with { Training = spec.Training with { EvalEverySteps = 10, Target = new TargetSpec { Metric = MetricKind.Accuracy, Value = 0.8 } } };

        using var state = Train(spec);

        state.StopReason.Should().StartWith("target reached");
        state.Step.Should().BeLessThan(400);
        state.Evaluations[^1].Accuracy.Should().BeGreaterThanOrEqualTo(0.8);
        state.Evaluations.SkipLast(1).Should().OnlyContain(e => e.Accuracy < 0.8);
    }

    [Fact]
    public void Stops_early_when_validation_loss_plateaus()
    {
        var spec = SpecFactory.Digits(steps: 400);
        spec = spec with
        {
            Training = spec.Training with
            {
                EvalEverySteps = 10,
                Optimizer = new OptimizerSpec { LearningRate = 1e-9 },
                EarlyStopping = new EarlyStoppingSpec { Metric = MetricKind.Loss, Patience = 3, MinDelta = 1e-3 },
            },
        };

        using var state = Train(spec);

        state.StopReason.Should().StartWith("early stopping");
        state.Evaluations.Should().HaveCount(4, "the first evaluation sets the best, three more without improvement stop the run");
    }
}
