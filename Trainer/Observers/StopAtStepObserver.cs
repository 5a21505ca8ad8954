using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Observers;

/// <summary>
/// Ends a run part of the way through its horizon, at an optimizer step or an epoch: a sweep's rung trains a trial
/// that far on the schedule of the full trial, checkpoints it, and a promotion later resumes it from there.
/// </summary>
public sealed class StopAtStepObserver(long? step, int? epoch) : ITrainingObserver
{
    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.StepEnd || state.Step >= state.TotalSteps) return;
        if (state.Step >= step || state.Sampler.EpochsDone >= epoch - 1e-9)
        {
            state.StopReason = $"segment end: step {state.Step} of {state.TotalSteps}";
        }
    }
}
