using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Observers;

/// <summary>
/// Ends a run part of the way through its horizon, at an optimizer step or an epoch: a sweep's rung trains a trial
/// that far on the schedule of the full trial, checkpoints it, and a promotion later resumes it from there.
/// </summary>
public sealed class StopAtStepObserver(long? step, int? epoch) : ITrainingObserver
{
    /// <summary>Whether this observer ended the run (the run stopped at its limit, not at its end or for another reason).</summary>
    public bool Reached { get; private set; }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        // At FitStart too: a run resumed from a checkpoint already at the limit (a repeated Resume) trains no step beyond it.
        if (trainingEvent is not (TrainingEvent.StepEnd or TrainingEvent.FitStart) || state.Step >= state.TotalSteps || state.StopReason is not null) return;
        if (state.Step >= step || state.Sampler.EpochsDone >= epoch - 1e-9)
        {
            state.StopReason = $"segment end: step {state.Step} of {state.TotalSteps}";
            Reached = true;
        }
    }
}
