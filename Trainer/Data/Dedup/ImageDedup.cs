using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Dedup of an image data set: the pipeline on the training split's pixels, then every validation and test image
/// checked (exact bytes, and the near stage's test when configured) against the kept training images, as a query
/// against the near stage's index (ImageSplitLeakage); those that repeat one are left out of their split, so no
/// evaluation image was trained on, as for text (DocumentDedup).
/// </summary>
public static class ImageDedup
{
    /// <summary>The result trains and evaluates on the kept examples and owns <paramref name="inner"/>.</summary>
    public static (ITrainingData Data, DedupOutcome Outcome, SplitOverlap? Overlap, int Examples) Run(ITrainingData inner, DedupSpec spec, IProxyScorer? proxy, long seed, Device device, int? threads = null)
    {
        var train = inner.Train as ImageSplit ?? throw new InvalidOperationException($"{inner.Name} is not an image data set.");
        var costs = new List<StageCost>();
        var trainPixels = new StageClock(costs).Measure("read pixels", (int)train.Count, train.HostPixels);
        var images = new ImageExamples(trainPixels, train.ExampleShape, train.SourceIndices, train.MaxPixel);
        var outcome = new DedupPipeline(spec, images, proxy, seed, threads: threads).Run();
        outcome.Costs.InsertRange(0, costs);
        var profile = new StageClock(outcome.Costs);
        if (inner.Validation is not ImageSplit validation || inner.Test is not ImageSplit test)
        {
            return (profile.Measure("kept data", outcome.Kept.Length, () => new DeduplicatedData(inner, outcome.Kept, device)), outcome, null, images.Count);
        }

        var evaluationPixels = profile.Measure("overlap copy", (int)(validation.Count + test.Count), () =>
        {
            var validationPixels = validation.HostPixels();
            var testPixels = test.HostPixels();
            var bytes = new byte[validationPixels.LongLength + testPixels.LongLength];
            validationPixels.CopyTo(bytes, 0);
            testPixels.CopyTo(bytes, validationPixels.LongLength);
            return bytes;
        });

        var removedValidation = new HashSet<int>();
        var removedTest = new HashSet<int>();
        var evaluation = new ImageExamples(evaluationPixels, train.ExampleShape, null, train.MaxPixel);
        var leaks = ImageSplitLeakage.Find(images, outcome.Kept, evaluation, (int)validation.Count, spec.Near, outcome.NearReference, DedupParallel.Options(threads), profile);
        foreach (var leak in leaks)
        {
            (leak.IsTest ? removedTest : removedValidation).Add(leak.Position);
            var trainId = outcome.Kept[leak.KeptTrainIndex];
            var source = (leak.IsTest ? test : validation).SourceIndices?[leak.Position] ?? leak.Position;
            outcome.Removed.Add(SplitLeakage.Entry(leak, source, trainId, images.Source(trainId)));
        }

        var overlap = new SplitOverlap((int)validation.Count, removedValidation.Count, (int)test.Count, removedTest.Count);
        var data = profile.Measure("kept data", outcome.Kept.Length, () => new DeduplicatedData(inner, outcome.Kept, device)
        {
            KeptValidation = Kept((int)validation.Count, removedValidation),
            KeptTest = Kept((int)test.Count, removedTest),
        });
        return (data, outcome, overlap, images.Count);
    }

    /// <summary>Null when nothing was removed (the split stays as it is).</summary>
    private static int[]? Kept(int count, HashSet<int> removed) =>
        removed.Count == 0 ? null : [.. Enumerable.Range(0, count).Where(i => !removed.Contains(i))];
}
