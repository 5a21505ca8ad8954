using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Engine;

/// <summary>The order of events the loop promises methods (TrainingEvent's doc comment), and what methods may change at them.</summary>
public sealed class TrainingEventOrderTests
{
    /// <summary>Writes "NAME:Event" for every event it sees.</summary>
    private sealed class Recorder(string name, List<string> log) : ITrainingMethod
    {
        public string Name => name;

        public bool Match(TrainingEvent trainingEvent, TrainingState state) => true;

        public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger) => log.Add($"{name}:{trainingEvent}");
    }

    private static ExperimentSpec ThreeSteps => SpecFactory.Digits(steps: 3, accumulation: 2) with
    {
        Training = SpecFactory.Digits(steps: 3, accumulation: 2).Training with { EvalEverySteps = 2, EvalBatches = 1, Schedule = new ScheduleSpec() },
    };

    [Fact]
    public void The_loop_raises_its_events_in_the_documented_order()
    {
        var log = new List<string>();
        using var state = TrainingSession.Prepare(ThreeSteps, CPU, methods: [new Recorder("m", log)]);
        new TrainingLoop([], NullLogger.Instance).Run(state);

        string[] micro = ["BatchStart", "AfterForward", "BeforeLoss", "AfterLoss", "BeforeBackward", "AfterBackward"];
        string[] step = [.. micro, .. micro, "BeforeClip", "BeforeOptimizerStep", "AfterOptimizerStep", "StepEnd"];
        string[] expected =
        [
            "Init", "FitStart",
            "StepStart", .. step,
            "StepStart", .. step,
            "StepStart", "EvaluationStart", "EvaluationEnd", .. step,
            "EvaluationStart", "EvaluationEnd", "FitEnd",
        ];
        log.Select(e => e["m:".Length..]).Should().Equal(expected);
    }

    [Fact]
    public void After_events_run_methods_in_reverse_order_so_they_unwind_like_nested_scopes()
    {
        var log = new List<string>();
        using var state = TrainingSession.Prepare(ThreeSteps, CPU, methods: [new Recorder("a", log), new Recorder("b", log)]);
        new TrainingLoop([], NullLogger.Instance).Run(state);

        log.Take(2).Should().Equal("a:Init", "b:Init");
        log.SkipWhile(e => !e.EndsWith(":BeforeLoss")).Take(4).Should().Equal("a:BeforeLoss", "b:BeforeLoss", "b:AfterLoss", "a:AfterLoss");
        log.SkipWhile(e => !e.EndsWith(":AfterOptimizerStep")).Take(4).Should().Equal("b:AfterOptimizerStep", "a:AfterOptimizerStep", "b:StepEnd", "a:StepEnd");
        log.TakeLast(2).Should().Equal("b:FitEnd", "a:FitEnd");
    }

    [Fact]
    public void A_restore_raises_after_load_once_the_methods_have_their_sections_back()
    {
        var spec = SpecFactory.Digits(PrecisionKind.Fp16, steps: 4);
        CheckpointSnapshot snapshot;
        using (var first = TrainingSession.Prepare(spec, CPU))
        {
            new TrainingLoop([], NullLogger.Instance).Run(first);
            snapshot = TrainingCheckpoint.Capture(first, "x", null);
        }
        var log = new List<string>();
        using var state = TrainingSession.Prepare(spec, CPU, methods: [.. GreenTrain.Trainer.Methods.TrainingMethodRegistry.For(spec), new Recorder("m", log)]);

        TrainingCheckpoint.Restore(state, new LoadedCheckpoint(
            new CheckpointManifest(1, "test", "x", snapshot.Step, snapshot.SpecHash, DateTimeOffset.UtcNow, []),
            snapshot.Sections.ToDictionary(s => s.Name, s => s.Data.ToArray())));

        log.Should().Equal("m:Init", "m:AfterLoad");
        state.Method<GreenTrain.Trainer.Methods.MixedPrecision.MixedPrecisionMethod>()!.LossScaler.Should().NotBeNull("the loss scale comes back from mixed precision's own section");
    }

    /// <summary>At Init the model is not flattened yet: a method may change it, and what it changes is what trains.</summary>
    private sealed class Surgery : ITrainingMethod
    {
        public string Name => "surgery";

        public bool SawNoParameters { get; private set; }

        public bool Match(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.Init;

        public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
        {
            try
            {
                _ = state.Parameters;
            }
            catch (InvalidOperationException)
            {
                SawNoParameters = true;
            }

            using var noGrad = no_grad();
            state.Network.Module.parameters().First().fill_(0.25);
        }
    }

    [Fact]
    public void Init_comes_before_the_parameters_are_flattened_so_model_surgery_is_what_trains()
    {
        var surgery = new Surgery();
        using var state = TrainingSession.Prepare(ThreeSteps, CPU, methods: [surgery]);

        surgery.SawNoParameters.Should().BeTrue();
        state.Parameters.Master[0].item<float>().Should().Be(0.25f);
    }

    /// <summary>Replaces the loss by a constant plus zero times itself, so the logged loss shows which one was used.</summary>
    private sealed class ConstantLoss(float value) : ITrainingMethod
    {
        public string Name => "constant-loss";

        public bool Match(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterLoss;

        public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger) => state.Loss = state.Loss!.mul(0).add(value);
    }

    [Fact]
    public void The_logged_loss_is_the_loss_a_method_replaced_it_with()
    {
        using var state = TrainingSession.Prepare(SpecFactory.Digits(steps: 10), CPU, methods: [new ConstantLoss(0.5f)]);
        new TrainingLoop([], NullLogger.Instance).Run(state);

        state.TrainLoss.Should().Be(0.5);
    }

    [Fact]
    public void The_logged_fp16_loss_is_the_unscaled_loss_not_the_one_backward_differentiates()
    {
        using var state = TrainingSession.Prepare(SpecFactory.Digits(PrecisionKind.Fp16, steps: 10), CPU);
        new TrainingLoop([], NullLogger.Instance).Run(state);

        state.TrainLoss.Should().BeInRange(0.01, 5, "a loss multiplied by the 65536 loss scale would be in the tens of thousands");
    }
}
