using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Train/test leakage of an image data set as a query against the training set: every validation and test image is
/// checked against the kept training images only (exact bytes, then the near stage's test), and the near part queries
/// the LSH index the near stage already built over the training images (VectorNearQuery) instead of matching training
/// and evaluation images together again. What is flagged is what SplitLeakage finds over the combined set: an
/// evaluation image repeats a kept training image, its match the first such (smallest id); evaluation images are
/// never matched with each other (they were never trained on).
/// </summary>
public static class ImageSplitLeakage
{
    /// <param name="kept">The kept training ids, ascending.</param>
    /// <param name="evaluation">Validation then test pixels.</param>
    /// <param name="reference">The near stage's index of the training images; needed when <paramref name="near"/> is given.</param>
    /// <param name="profile">The check's parts: "overlap exact", "overlap near features", "overlap near query".</param>
    public static List<Leak> Find(ImageExamples train, int[] kept, ImageExamples evaluation, int validationCount, NearDedupSpec? near, NearReference? reference, ParallelOptions parallel, StageClock profile)
    {
        var count = evaluation.Count;
        var exact = profile.Measure("overlap exact", kept.Length + count, () =>
            ExactDuplicates.Find(kept.Length + count, i => i < kept.Length ? train.Content(kept[i]) : evaluation.Content(i - kept.Length), parallel));
        var leaks = new List<Leak>();
        var leaked = new bool[count];
        for (var e = 0; e < count; e++)
        {
            var match = exact[kept.Length + e];
            if (match < 0 || match >= kept.Length) continue;
            leaked[e] = true;
            leaks.Add(Leak(e, validationCount, match, 1));
        }

        if (near is null) return leaks;
        var index = reference ?? throw new InvalidOperationException("The near split check needs the near stage's index of the training images.");
        int[] queries = [.. Enumerable.Range(0, count).Where(e => !leaked[e])];
        var features = profile.Measure("overlap near features", queries.Length, () => evaluation.Features(queries, near, parallel));
        var matches = profile.Measure("overlap near query", queries.Length, () =>
        {
            var isReference = new bool[index.Ids.Length];
            Parallel.For(0, isReference.Length, parallel, row => isReference[row] = Array.BinarySearch(kept, index.Ids[row]) >= 0);
            return VectorNearQuery.Find(index.Index, isReference, features, near.ImageCosine, near.ImageDifference, parallel);
        });
        leaks.AddRange(matches.Select(m => Leak(queries[m.Query], validationCount, Array.BinarySearch(kept, index.Ids[m.Row]), m.Cosine)));
        return leaks;
    }

    private static Leak Leak(int evaluationPosition, int validationCount, int keptTrainIndex, double similarity)
    {
        var isTest = evaluationPosition >= validationCount;
        return new Leak(isTest, isTest ? evaluationPosition - validationCount : evaluationPosition, keptTrainIndex, similarity);
    }
}
