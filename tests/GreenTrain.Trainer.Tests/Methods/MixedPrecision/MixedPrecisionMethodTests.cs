using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.MixedPrecision;
using GreenTrain.Trainer.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.MixedPrecision;

public sealed class MixedPrecisionMethodTests
{
    [Theory]
    [InlineData(PrecisionKind.Bf16, ScalarType.BFloat16)]
    [InlineData(PrecisionKind.Fp16, ScalarType.Float16)]
    public void Fit_start_makes_the_model_compute_in_16_bits_from_a_copy_of_fp32_master_weights(PrecisionKind precision, ScalarType expected)
    {
        using var state = TrainingSession.Prepare(SpecFactory.Digits(precision), CPU);
        var method = new MixedPrecisionMethod(precision);

        method.Apply(TrainingEvent.FitStart, state, NullLogger.Instance);

        state.Network.Module.parameters().Should().OnlyContain(p => p.dtype == expected);
        state.Parameters.Master.dtype.Should().Be(ScalarType.Float32);
        state.Parameters.Compute.dtype.Should().Be(expected);
        using var firstWeight = state.Network.Module.parameters().First().flatten().to(ScalarType.Float32);
        using var masterSlice = state.Parameters.Master.narrow(0, 0, firstWeight.shape[0]).to(expected).to(ScalarType.Float32);
        firstWeight.allclose(masterSlice, 0, 0).Should().BeTrue("the model's 16-bit weights are the master weights rounded");
    }

    [Fact]
    public void Optimizer_step_refreshes_the_16_bit_weights_from_the_master_once()
    {
        using var state = TrainingSession.Prepare(SpecFactory.Digits(PrecisionKind.Bf16), CPU);
        var method = new MixedPrecisionMethod(PrecisionKind.Bf16);
        method.Apply(TrainingEvent.FitStart, state, NullLogger.Instance);

        using (no_grad()) state.Parameters.Master.add_(1.0);
        method.Apply(TrainingEvent.AfterOptimizerStep, state, NullLogger.Instance);

        using var expected = state.Parameters.Master.to(ScalarType.BFloat16);
        state.Parameters.Compute.to(ScalarType.Float32).allclose(expected.to(ScalarType.Float32), 0, 0).Should().BeTrue();
    }
}
