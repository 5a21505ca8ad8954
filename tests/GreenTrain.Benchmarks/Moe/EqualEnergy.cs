using GreenTrain.Benchmarks.Methods;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>A run's validation loss at a given spend, read off its evaluations.</summary>
public static class EqualEnergy
{
    /// <summary>
    /// The loss where the run's cumulative spend (joules or CPU seconds, per <paramref name="spend"/>) equals
    /// <paramref name="budget"/>, linearly interpolated between the two evaluations around it; null when the run's
    /// curve does not cover the budget (it ended below it, or its first evaluation already spent more).
    /// </summary>
    public static double? LossAt(IReadOnlyList<EvaluationPoint> evaluations, double budget, Func<EvaluationPoint, double> spend)
    {
        for (var i = 0; i < evaluations.Count; i++)
        {
            var here = evaluations[i];
            if (spend(here) < budget) continue;
            if (spend(here) == budget) return here.Metric;
            if (i == 0) return null;
            var before = evaluations[i - 1];
            var t = (budget - spend(before)) / (spend(here) - spend(before));
            return before.Metric + t * (here.Metric - before.Metric);
        }
        return null;
    }

    /// <summary>The loss of the evaluation at <paramref name="step"/> (equal tokens: every run has the same batch), or null.</summary>
    public static double? LossAtStep(IReadOnlyList<EvaluationPoint> evaluations, long step) =>
        evaluations.FirstOrDefault(e => e.Step == step)?.Metric;
}
