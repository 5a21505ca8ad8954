using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Engine;

/// <summary>Linear warm-up, then constant or cosine decay to a floor (Loshchilov and Hutter, 2017, without restarts).</summary>
public static class LearningRateSchedule
{
    /// <param name="step">Optimizer steps already taken (0 for the first step).</param>
    public static double At(long step, long totalSteps, double peak, ScheduleSpec schedule)
    {
        if (step < schedule.WarmupSteps)
        {
            return peak * (step + 1) / schedule.WarmupSteps;
        }

        if (schedule.Kind == ScheduleKind.Constant)
        {
            return peak;
        }

        var decaySteps = Math.Max(1, totalSteps - schedule.WarmupSteps);
        var progress = Math.Clamp((double)(step - schedule.WarmupSteps) / decaySteps, 0, 1);
        var floor = peak * schedule.MinLearningRateFraction;
        return floor + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (peak - floor);
    }
}
