using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>An evaluation example that duplicates a kept training one: its split, its position there, the training example (position among the kept) and the similarity.</summary>
public readonly record struct Leak(bool IsTest, int Position, int KeptTrainIndex, double? Similarity);

/// <summary>
/// Train/test leakage: every validation and test example checked (exact, and near when configured) against the
/// kept training examples. The examples come as one set, kept training examples first, so any match of an
/// evaluation example to an earlier one that lies in the training part is a leak; matches between two
/// evaluation examples are not (they were never trained on).
/// </summary>
public static class SplitLeakage
{
    /// <param name="costs">When given, the check's parts are added to it as "overlap exact", "overlap near features", ...</param>
    public static List<Leak> Find(IDedupExamples combined, int trainCount, int validationCount, NearDedupSpec? near, long seed, int? threads = null, List<StageCost>? costs = null)
    {
        var check = new DedupSpec { Exact = true, Near = near };
        var testStart = trainCount + validationCount;
        var outcome = new DedupPipeline(check, combined, null, seed, threads: threads).Run();
        costs?.AddRange(outcome.Costs.Select(c => c with { Part = $"overlap {c.Part}" }));
        return [.. outcome.Removed
            .Where(r => r.Id >= trainCount && r.Match < trainCount)
            .Select(r => new Leak(r.Id >= testStart, r.Id >= testStart ? r.Id - testStart : r.Id - trainCount, r.Match!.Value, r.Similarity))];
    }

    /// <summary>The manifest line of a leak: the evaluation example removed from its split, and the training example it repeats.</summary>
    public static RemovedExample Entry(Leak leak, long source, int trainId, long trainSource) => new()
    {
        Split = leak.IsTest ? "test" : "validation",
        Id = leak.Position,
        Source = source,
        Stage = "overlap",
        Match = trainId,
        MatchSource = trainSource,
        Similarity = leak.Similarity,
    };
}
