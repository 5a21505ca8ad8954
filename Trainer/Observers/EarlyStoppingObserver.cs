using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Observers;

/// <summary>
/// Stops the run when the watched validation metric has not improved on its best by more than MinDelta
/// for Patience evaluations in a row (a plateau). Reads only the evaluation history, so it resumes
/// correctly from a checkpoint that holds that history.
/// </summary>
public sealed class EarlyStoppingObserver(EarlyStoppingSpec spec) : ITrainingObserver
{
    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.EvaluationEnd) return;
        if (EvaluationsSinceImprovement(state.Evaluations, spec) >= spec.Patience)
        {
            state.StopReason = $"early stopping: validation {Name(spec.Metric)} did not improve by more than {spec.MinDelta} for {spec.Patience} evaluations";
        }
    }

    /// <summary>How many evaluations have passed since the last one that beat the best before it by more than MinDelta.</summary>
    public static int EvaluationsSinceImprovement(IReadOnlyList<EvaluationRecord> history, EarlyStoppingSpec spec)
    {
        var sign = spec.Metric == MetricKind.Accuracy ? 1.0 : -1.0;
        double? best = null;
        var since = 0;
        foreach (var record in history)
        {
            var value = sign * record.Metric(spec.Metric);
            if (best is null || value > best + spec.MinDelta)
            {
                best = value;
                since = 0;
            }
            else
            {
                since++;
            }
        }

        return since;
    }

    internal static string Name(MetricKind metric) => metric == MetricKind.Accuracy ? "accuracy" : "loss";
}
