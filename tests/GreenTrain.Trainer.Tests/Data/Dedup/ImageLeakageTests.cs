using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class ImageLeakageTests
{
    private const int Size = 64;

    /// <summary>Digits split by hand: 300 training images, and evaluation splits of other digits with some training images planted in them.</summary>
    private sealed class PlantedSplits(ImageSplit train, ImageSplit validation, ImageSplit test) : ITrainingData
    {
        public string Name => "planted-digits";
        public DataTask Task => DataTask.Classification;
        public long[] ExampleShape => [1, 8, 8];
        public int Classes => 10;
        public IDataSplit Train => train;
        public IDataSplit Validation => validation;
        public IDataSplit Test => test;

        public void Dispose()
        {
            train.Dispose();
            validation.Dispose();
            test.Dispose();
        }
    }

    private static ImageSplit Split(byte[] pixels, long[] labels, int[] picks, Func<int, byte[]>? replace = null)
    {
        var chosen = picks.SelectMany((p, k) => replace?.Invoke(k) ?? pixels.AsSpan(p * Size, Size).ToArray()).ToArray();
        return new ImageSplit(tensor(chosen, [picks.Length, 1, 8, 8], ScalarType.Byte), tensor(picks.Select(p => labels[p]).ToArray()), 16, 0.3, 0.4)
        {
            SourceIndices = [.. picks.Select(p => (long)p)],
        };
    }

    [Fact]
    public void Validation_and_test_images_that_repeat_a_training_image_are_reported_and_left_out_of_their_split()
    {
        using var digits = new DigitsData(new DatasetSpec(), CPU);
        var all = (ImageSplit)digits.Train;
        var (pixels, labels) = (all.HostPixels(), all.HostLabels());
        // Darker by a tenth, and one pixel a level off: not the same bytes, the same image.
        byte[] Noisy(int id)
        {
            var copy = pixels.AsSpan(id * Size, Size).ToArray().Select(p => (byte)Math.Round(p * 0.9)).ToArray();
            copy[20] = (byte)Math.Min(16, copy[20] + 1);
            return copy;
        }
        // Validation: 40 unseen digits, then an exact copy of training image 12 and a darker one of 25; test: 40 unseen, then an exact copy of 99.
        int[] validationPicks = [.. Enumerable.Range(300, 40), 12, 25];
        int[] testPicks = [.. Enumerable.Range(400, 40), 99];
        using var data = new PlantedSplits(
            Split(pixels, labels, [.. Enumerable.Range(0, 300)]),
            Split(pixels, labels, validationPicks, k => k == 41 ? Noisy(25) : null!),
            Split(pixels, labels, testPicks));
        var spec = new DedupSpec { Exact = true, Near = new NearDedupSpec { Threshold = 0.8 } };

        var (deduped, outcome, overlap, examples) = ImageDedup.Run(data, spec, null, 1, CPU);

        using (deduped)
        {
            examples.Should().Be(300);
            overlap.Should().NotBeNull();
            var leaks = outcome.Removed.Where(r => r.Stage == "overlap").ToList();
            leaks.Should().Contain(r => r.Split == "validation" && r.Id == 40 && r.MatchSource == 12 && r.Similarity == 1, "the exact copy of training image 12");
            leaks.Should().Contain(r => r.Split == "validation" && r.Id == 41 && r.MatchSource == 25, "the darker copy of training image 25");
            leaks.Should().Contain(r => r.Split == "test" && r.Id == 40 && r.MatchSource == 99);
            overlap!.Validation.Should().Be(42);
            overlap.Test.Should().Be(41);
            overlap.ValidationOverlap.Should().Be(leaks.Count(r => r.Split == "validation"));
            overlap.TestOverlap.Should().Be(leaks.Count(r => r.Split == "test"));
            deduped.Validation.Count.Should().Be(42 - overlap.ValidationOverlap, "a leaked image is not scored");
            deduped.Test.Count.Should().Be(41 - overlap.TestOverlap);
            deduped.Train.Count.Should().Be(outcome.Kept.Length);
        }
    }

    [Fact]
    public void The_split_check_flags_the_same_evaluation_images_as_matching_training_and_evaluation_images_together()
    {
        using var digits = new DigitsData(new DatasetSpec(), CPU);
        var all = (ImageSplit)digits.Train;
        var (pixels, labels) = (all.HostPixels(), all.HostLabels());
        var random = new Random(11);
        // Training: 600 digits, every 7th with a darker copy appended (the near stage removes those). Evaluation: 300
        // other digits, with training images planted exact, darker (one as the removed copy of training image 0) and
        // noisy, and evaluation images that repeat each other but no training image (700, 903).
        int[] trainPicks = [.. Enumerable.Range(0, 600), .. Enumerable.Range(0, 600).Where(i => i % 7 == 0)];
        byte[] Darker(int id) => [.. pixels.AsSpan(id * Size, Size).ToArray().Select(p => (byte)Math.Round(p * 0.85))];
        byte[] Noisy(int id) => [.. pixels.AsSpan(id * Size, Size).ToArray().Select(p => (byte)Math.Clamp(p + random.Next(-1, 2) * (random.Next(8) == 0 ? 1 : 0), 0, 16))];
        int[] validationPicks = [.. Enumerable.Range(700, 150), 3, 14, 40, 41, 0, 700];
        int[] testPicks = [.. Enumerable.Range(900, 150), 8, 21, 77, 77, 903];
        using var data = new PlantedSplits(
            Split(pixels, labels, trainPicks, k => k >= 600 ? Darker(trainPicks[k]) : null!),
            Split(pixels, labels, validationPicks, k => k == 151 ? Darker(14) : k == 152 ? Noisy(40) : k == 154 ? Darker(0) : null!),
            Split(pixels, labels, testPicks, k => k == 151 ? Noisy(21) : k == 153 ? Darker(77) : null!));
        var spec = new DedupSpec { Exact = true, Near = new NearDedupSpec() };
        var train = (ImageSplit)data.Train;
        var trainPixels = train.HostPixels();

        var (deduped, outcome, _, _) = ImageDedup.Run(data, spec, null, 1, CPU);

        using (deduped)
        {
            // The whole match over kept training + evaluation images together, as the check was before it became a query.
            var combined = outcome.Kept.SelectMany(id => trainPixels.AsSpan(id * Size, Size).ToArray())
                .Concat(((ImageSplit)data.Validation).HostPixels()).Concat(((ImageSplit)data.Test).HostPixels()).ToArray();
            var full = SplitLeakage.Find(new ImageExamples(combined, [1, 8, 8], null, 16), outcome.Kept.Length, validationPicks.Length, spec.Near, 1);
            var query = outcome.Removed.Where(r => r.Stage == "overlap").ToList();

            full.Should().HaveCountGreaterThan(5, "exact, darker and noisy training images were planted");
            query.Select(r => (r.Split, r.Id, r.Match, r.Similarity)).Should().BeEquivalentTo(
                full.Select(l => (l.IsTest ? "test" : "validation", l.Position, (int?)outcome.Kept[l.KeptTrainIndex], l.Similarity)));
        }
    }
}
