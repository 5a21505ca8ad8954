using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Observers;

/// <summary>Stops the run at the first evaluation whose validation metric reaches the target (accuracy at least, loss at most).</summary>
public sealed class TargetObserver(TargetSpec target) : ITrainingObserver
{
    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.EvaluationEnd || state.Evaluations.Count == 0) return;
        var value = state.Evaluations[^1].Metric(target.Metric);
        var reached = target.Metric == MetricKind.Accuracy ? value >= target.Value : value <= target.Value;
        if (reached)
        {
            state.StopReason = $"target reached: validation {EarlyStoppingObserver.Name(target.Metric)} {value:0.####} (target {target.Value})";
        }
    }
}
