using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Dedup of a document corpus before tokenisation: the pipeline on the training documents, then every
/// validation and test document checked (exact, and near when configured) against the kept training
/// documents; those that duplicate one are removed from their split, so no test text was trained on.
/// </summary>
public static class DocumentDedup
{
    public static (DocumentSplits Kept, DedupOutcome Outcome, SplitOverlap Overlap) Run(DocumentSplits splits, DedupSpec spec, IProxyScorer? proxy, long seed, int? threads = null)
    {
        var trainExamples = new DocumentExamples(splits.Train, splits.TrainSources, DedupParallel.Options(threads));
        var outcome = new DedupPipeline(spec, trainExamples, proxy, seed, threads: threads).Run();
        var keptTrain = outcome.Kept;

        // Kept training documents first, so every match of an evaluation document to training text points back into them.
        var combined = keptTrain.Select(i => splits.Train[i]).Concat(splits.Validation).Concat(splits.Test).ToList();
        var removedValidation = new HashSet<int>();
        var removedTest = new HashSet<int>();
        foreach (var leak in SplitLeakage.Find(new DocumentExamples(combined, null, DedupParallel.Options(threads)), keptTrain.Length, splits.Validation.Count, spec.Near, seed, threads))
        {
            (leak.IsTest ? removedTest : removedValidation).Add(leak.Position);
            var trainId = keptTrain[leak.KeptTrainIndex];
            var source = leak.IsTest ? splits.TestSources[leak.Position] : splits.ValidationSources[leak.Position];
            outcome.Removed.Add(SplitLeakage.Entry(leak, source, trainId, splits.TrainSources[trainId]));
        }

        var kept = new DocumentSplits(
            [.. keptTrain.Select(i => splits.Train[i])], [.. keptTrain.Select(i => splits.TrainSources[i])],
            Keep(splits.Validation, removedValidation), Keep(splits.ValidationSources, removedValidation),
            Keep(splits.Test, removedTest), Keep(splits.TestSources, removedTest));
        var overlap = new SplitOverlap(splits.Validation.Count, removedValidation.Count, splits.Test.Count, removedTest.Count);
        return (kept, outcome, overlap);
    }

    private static T[] Keep<T>(IReadOnlyList<T> items, HashSet<int> removed) => [.. items.Where((_, i) => !removed.Contains(i))];
}
