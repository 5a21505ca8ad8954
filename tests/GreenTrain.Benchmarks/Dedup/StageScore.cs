using GreenTrain.Trainer.Data.Dedup;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>
/// Precision and recall of one stage against the injected truth. Precision counts a removal as right when it
/// is an injected copy; "precision, shipped excluded" also forgives removals of originals that the same
/// pipeline removes from the set as shipped (duplicates the data really has, not errors). Recall is over the
/// copies the stage was meant to find: exact copies for exact, the remaining copies for the later stages.
/// </summary>
public sealed record StageScore(string Data, string Stage, int Removed, int TruePositives, int Targets, double Precision, double PrecisionShippedExcluded, double Recall, double ExamplesPerSecond)
{
    public static List<StageScore> Of(string data, DedupOutcome outcome, Injected truth, HashSet<int> removedWhenShipped)
    {
        var scores = new List<StageScore>();
        var found = new HashSet<int>();
        foreach (var stage in outcome.Stages)
        {
            var removed = outcome.Removed.Where(r => r.Split == "train" && r.Stage == stage.Stage).Select(r => r.Id).ToList();
            var truePositives = removed.Count(truth.IsCopy);
            var forgiven = removed.Count(id => !truth.IsCopy(id) && removedWhenShipped.Contains(id));
            var targets = Enumerable.Range(truth.Originals, truth.Count - truth.Originals)
                .Count(id => !found.Contains(id) && (stage.Stage != "exact" || truth.IsExactCopy(id)));
            var foundHere = removed.Count(id => truth.IsCopy(id) && (stage.Stage != "exact" || truth.IsExactCopy(id)));
            scores.Add(new StageScore(data, stage.Stage, removed.Count, truePositives, targets,
                Ratio(truePositives, removed.Count), Ratio(truePositives + forgiven, removed.Count), Ratio(foundHere, targets), stage.ExamplesPerSecond));
            found.UnionWith(removed.Where(truth.IsCopy));
        }

        var all = found.Count;
        var totalRemoved = outcome.Removed.Count(r => r.Split == "train");
        var allForgiven = outcome.Removed.Count(r => r.Split == "train" && !truth.IsCopy(r.Id) && removedWhenShipped.Contains(r.Id));
        scores.Add(new StageScore(data, "all", totalRemoved, all, truth.Count - truth.Originals, Ratio(all, totalRemoved), Ratio(all + allForgiven, totalRemoved), Ratio(all, truth.Count - truth.Originals), 0));
        return scores;
    }

    private static double Ratio(int a, int b) => b == 0 ? 1 : a / (double)b;
}
