using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.MixedPrecision;
using GreenTrain.Trainer.Tests.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.MixedPrecision;

public sealed class LossScalingTests
{
    private static readonly LossScalerSettings Settings = new(InitialScale: 1024, GrowthInterval: 3);

    [Fact]
    public void An_overflow_halves_the_scale_and_restarts_the_count_of_good_steps()
    {
        LossScaling.Next(new LossScalerState(1024, 2), overflow: true, Settings).Should().Be(new LossScalerState(512, 0));
    }

    [Fact]
    public void The_scale_doubles_after_a_run_of_good_steps()
    {
        var state = new LossScalerState(1024, 0);
        state = LossScaling.Next(state, false, Settings);
        state = LossScaling.Next(state, false, Settings);
        state.Should().Be(new LossScalerState(1024, 2));
        LossScaling.Next(state, false, Settings).Should().Be(new LossScalerState(2048, 0));
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void Unscaling_divides_the_gradients_and_reports_inf_or_nan(float bad)
    {
        using var gradients = tensor(new[] { 2f, 4f, 8f });
        LossScaling.UnscaleAndFindOverflow(gradients, 2).Should().BeFalse();
        gradients.data<float>().ToArray().Should().Equal(1f, 2f, 4f);

        using var broken = tensor(new[] { 2f, bad });
        LossScaling.UnscaleAndFindOverflow(broken, 2).Should().BeTrue();
    }

    /// <summary>Puts an infinity into the 16-bit gradients at one step, as a real fp16 overflow would.</summary>
    private sealed class InjectOverflow(long atStep) : ITrainingMethod
    {
        public string Name => "inject-overflow";

        public bool Match(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterBackward && state.Step == atStep;

        public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger) => state.Parameters.ComputeGrad[0] = float.PositiveInfinity;
    }

    [Fact]
    public void Fp16_training_survives_an_injected_overflow_by_skipping_that_step_and_backing_off()
    {
        var spec = SpecFactory.Digits(PrecisionKind.Fp16, steps: 60);
        // Listed after mixed precision, so at AfterBackward (reverse order) it runs first, on the 16-bit gradients.
        var methods = new List<ITrainingMethod> { new MixedPrecisionMethod(PrecisionKind.Fp16, new LossScalerSettings(GrowthInterval: 1000)), new InjectOverflow(atStep: 20) };
        using var state = TrainingSession.Prepare(spec, CPU, methods: methods);

        new TrainingLoop([], NullLogger.Instance).Run(state);

        state.SkippedSteps.Should().Be(1);
        state.Method<MixedPrecisionMethod>()!.LossScaler!.Scale.Should().Be(32768, "one overflow halves the initial 65536");
        state.Optimizer.Steps.Should().Be(59);
        state.Parameters.Master.isfinite().all().item<bool>().Should().BeTrue("the overflowing step must not reach the weights");
        state.Evaluations[^1].Accuracy.Should().BeGreaterThan(0.85);
    }
}
