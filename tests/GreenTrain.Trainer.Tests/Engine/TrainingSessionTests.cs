using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenTrain.Trainer.Tests.Engine;

public sealed class TrainingSessionTests
{
    [Fact]
    public void Digits_mlp_in_fp32_reaches_95_percent_test_accuracy()
    {
        var result = TrainingSession.Run(SpecFactory.Digits(), new RunOptions(), [], NullLogger.Instance);

        result.Test.Accuracy.Should().BeGreaterThanOrEqualTo(0.95);
        result.StopReason.Should().Be("completed");
        result.Performance.ExamplesPerSecond.Should().BePositive();
        result.Performance.FlopsPerStep.Should().Be(3 * 64 * 2.0 * (64 * 128 + 128 * 10));
    }

    [Theory]
    [InlineData(PrecisionKind.Bf16)]
    [InlineData(PrecisionKind.Fp16)]
    public void Mixed_precision_on_digits_is_within_one_point_of_fp32(PrecisionKind precision)
    {
        var fp32 = TrainingSession.Run(SpecFactory.Digits(), new RunOptions(), [], NullLogger.Instance);
        var mixed = TrainingSession.Run(SpecFactory.Digits(precision), new RunOptions(), [], NullLogger.Instance);

        mixed.Test.Accuracy.Should().BeApproximately(fp32.Test.Accuracy!.Value, 0.01);
        mixed.Precision.Should().Be(precision);
    }
}
