using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class ImageNearDuplicatesTests
{
    private static List<DuplicateMatch> Near(byte[] pixels, NearDedupSpec near)
    {
        var images = new ImageExamples(pixels, [1, 8, 8], null, 16);
        var dimensions = images.Dimensions(near);
        var features = new float[pixels.Length / 64 * dimensions];
        for (var i = 0; i < images.Count; i++) images.Features(i, near, features.AsSpan(i * dimensions, dimensions));
        return VectorNearDuplicates.Find(features, dimensions, near.ImageCosine, near.ImageDifference, 1, new ParallelOptions());
    }

    [Fact]
    public void A_darker_copy_is_a_near_duplicate_and_a_copy_with_noise_past_the_difference_is_not()
    {
        using var digits = new DigitsData(new DatasetSpec(), CPU);
        var pixels = ((ImageSplit)digits.Train).HostPixels().AsSpan(0, 100 * 64).ToArray();
        var random = new Random(5);
        var darker = pixels.AsSpan(5 * 64, 64).ToArray().Select(p => (byte)Math.Round(p * 0.8)).ToArray();
        // Noise of +-2 levels of 16 (RMS about 0.09 of full scale), past the default 0.04.
        var noisy = pixels.AsSpan(9 * 64, 64).ToArray().Select(p => (byte)Math.Clamp(p + random.Next(-2, 3), 0, 16)).ToArray();
        var set = pixels.Concat(darker).Concat(noisy).ToArray();

        var strict = Near(set, new NearDedupSpec());
        var loose = Near(set, new NearDedupSpec { ImageDifference = 0.15 });

        strict.Should().Contain(m => m.Id == 100 && m.Match == 5, "a brightness change costs nothing");
        strict.Should().NotContain(m => m.Id == 101, "the noise moves it further than 0.04 of full scale");
        loose.Should().Contain(m => m.Id == 101 && m.Match == 9, "with a looser difference the noisy copy is found");
        strict.Should().OnlyContain(m => m.Match < m.Id && m.Similarity >= 0.9);
    }

    [Fact]
    public void The_simd_dot_product_matches_the_plain_sum_for_any_length()
    {
        var random = new Random(3);
        foreach (var length in new[] { 1, 7, 63, 255 })
        {
            var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

            VectorNearDuplicates.Dot(a, b).Should().BeApproximately(a.Zip(b, (x, y) => x * y).Sum(), 1e-4f);
        }
    }
}
