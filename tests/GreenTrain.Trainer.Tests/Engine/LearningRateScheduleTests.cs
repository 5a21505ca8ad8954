using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Tests.Engine;

public sealed class LearningRateScheduleTests
{
    private static readonly ScheduleSpec Cosine = new() { Kind = ScheduleKind.Cosine, WarmupSteps = 10, MinLearningRateFraction = 0.1 };

    [Fact]
    public void Warmup_rises_linearly_to_the_peak()
    {
        LearningRateSchedule.At(0, 100, 1.0, Cosine).Should().BeApproximately(0.1, 1e-12);
        LearningRateSchedule.At(4, 100, 1.0, Cosine).Should().BeApproximately(0.5, 1e-12);
        LearningRateSchedule.At(10, 100, 1.0, Cosine).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Cosine_decays_through_the_midpoint_to_the_floor()
    {
        LearningRateSchedule.At(55, 100, 1.0, Cosine).Should().BeApproximately(0.55, 1e-12);
        LearningRateSchedule.At(100, 100, 1.0, Cosine).Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void Constant_holds_the_peak_after_warmup()
    {
        var constant = Cosine with { Kind = ScheduleKind.Constant };
        LearningRateSchedule.At(99, 100, 0.3, constant).Should().Be(0.3);
    }
}
