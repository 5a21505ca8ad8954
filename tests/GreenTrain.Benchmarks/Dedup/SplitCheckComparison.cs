using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>
/// The stage's split check (a query of the evaluation images against the near stage's index of the training images)
/// beside the check it replaced, the whole match over kept training + evaluation images together (SplitLeakage),
/// run after the stage and outside its cost: the flagged evaluation images, their matches and similarities must be
/// the same.
/// </summary>
public static class SplitCheckComparison
{
    public static string Compare(byte[] trainPixels, DedupOutcome outcome, ImageSplit validation, ImageSplit test, DedupSpec spec, long seed, int threads)
    {
        const int Size = 28 * 28;
        var (validationPixels, testPixels) = (validation.HostPixels(), test.HostPixels());
        var combined = new byte[((long)outcome.Kept.Length + validation.Count + test.Count) * Size];
        for (var k = 0; k < outcome.Kept.Length; k++) Array.Copy(trainPixels, (long)outcome.Kept[k] * Size, combined, (long)k * Size, Size);
        validationPixels.CopyTo(combined, (long)outcome.Kept.Length * Size);
        testPixels.CopyTo(combined, (long)outcome.Kept.Length * Size + validationPixels.LongLength);
        var full = SplitLeakage.Find(new ImageExamples(combined, [1, 28, 28]), outcome.Kept.Length, (int)validation.Count, spec.Near, seed, threads)
            .Select(l => (Split: l.IsTest ? "test" : "validation", Id: l.Position, Match: (int?)outcome.Kept[l.KeptTrainIndex], l.Similarity)).ToHashSet();
        var query = outcome.Removed.Where(r => r.Stage == "overlap").Select(r => (r.Split, r.Id, r.Match, r.Similarity)).ToHashSet();
        var same = full.SetEquals(query);
        return $"split check: the query flagged {query.Count} evaluation images, the whole match over training + evaluation {full.Count}; " +
            (same ? "the same images, matches and similarities" : $"DIFFERENT: only in the query {string.Join(", ", query.Except(full))}; only in the whole match {string.Join(", ", full.Except(query))}");
    }
}
