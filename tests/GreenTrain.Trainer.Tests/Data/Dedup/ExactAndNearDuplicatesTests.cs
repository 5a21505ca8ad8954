using System.Text;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class ExactAndNearDuplicatesTests
{
    private const string Fortune = "The trouble with doing something right the first time is that nobody appreciates how difficult it was.";

    private static (byte[] Pixels, long[] Shape) DigitsTrain()
    {
        using var digits = new DigitsData(new DatasetSpec(), CPU);
        var train = (ImageSplit)digits.Train;
        return (train.HostPixels(), train.ExampleShape);
    }

    [Fact]
    public void An_appended_copy_of_a_digit_is_an_exact_duplicate_of_its_original_and_nothing_else_is()
    {
        var (pixels, shape) = DigitsTrain();
        var size = 64;
        var count = 200;
        var withCopy = pixels.AsSpan(0, count * size).ToArray().Concat(pixels.AsSpan(37 * size, size).ToArray()).ToArray();

        var matches = ExactDuplicates.Find(count + 1, id => withCopy.AsSpan(id * size, size));

        matches[count].Should().Be(37);
        matches[..count].Where(m => m >= 0).Should().BeEmpty("the first 200 digits hold no identical images");
    }

    [Fact]
    public void Documents_that_differ_only_in_case_and_spacing_are_exact_duplicates()
    {
        var documents = new DocumentExamples([Fortune, "  THE trouble with doing   something right\nthe first time is that nobody appreciates how difficult it was. ", Fortune + "!"]);

        var matches = ExactDuplicates.Find(documents.Count, documents.Content);

        matches.Should().Equal(-1, 0, -1);
    }

    [Fact]
    public void Jaccard_of_byte_shingles_is_exact_for_a_one_letter_edit()
    {
        var a = TextShingles.Of(Encoding.UTF8.GetBytes("abcdefgh"), ShingleKind.Bytes, 4);
        var b = TextShingles.Of(Encoding.UTF8.GetBytes("abcdXfgh"), ShingleKind.Bytes, 4);

        a.Should().HaveCount(5);
        Jaccard.Of(a, b).Should().BeApproximately(1 / 9.0, 1e-12, "only 'abcd' is shared: 1 of 9 distinct shingles");
    }

    /// <summary>Sets of 100 shingles sharing 92 (J = 92/108 = 0.852) and 86 (J = 86/114 = 0.754) with the first.</summary>
    [Fact]
    public void Near_duplicates_are_found_just_above_the_threshold_and_not_just_below_it()
    {
        ulong[] Set(int from, int count) => [.. Enumerable.Range(from, count).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).Order()];
        var original = Set(0, 100);
        var above = Set(0, 92).Concat(Set(1000, 8)).Order().ToArray();
        var below = Set(0, 86).Concat(Set(2000, 14)).Order().ToArray();
        Jaccard.Of(original, above).Should().BeApproximately(92 / 108.0, 1e-12);
        Jaccard.Of(original, below).Should().BeApproximately(86 / 114.0, 1e-12);

        var found = NearDuplicates.Find([original, above, below], threshold: 0.8, bands: 20, rows: 6);

        found.Should().ContainSingle().Which.Should().Be(new DuplicateMatch(1, 0, 92 / 108.0));
        NearDuplicates.Find([original, above, below], threshold: 0.74, bands: 20, rows: 6).Select(m => m.Id).Should().Equal(1, 2);
    }

    [Fact]
    public void A_noisy_copy_of_a_digit_is_a_near_duplicate_by_its_perceptual_hash_and_other_digits_are_not()
    {
        var (pixels, shape) = DigitsTrain();
        var random = new Random(3);
        var noisy = pixels.AsSpan(5 * 64, 64).ToArray().Select(p => (byte)Math.Clamp(p + random.Next(-1, 2), 0, 16)).ToArray();
        var sets = Enumerable.Range(0, 50).Select(i => PerceptualHash.Shingles(pixels.AsSpan(i * 64, 64), 1, 8, 8)).Append(PerceptualHash.Shingles(noisy, 1, 8, 8)).ToArray();

        var found = NearDuplicates.Find(sets, threshold: 0.8, bands: 20, rows: 6);

        found.Should().Contain(m => m.Id == 50 && m.Match == 5);
        found.Should().OnlyContain(m => m.Similarity >= 0.8 && m.Match < m.Id, "only verified pairs are removed, the later of each");
        sets.Should().OnlyContain(s => s.Length == PerceptualHash.Bits);
    }

    [Fact]
    public void A_lightly_edited_document_is_a_near_duplicate_and_a_rewritten_one_is_not()
    {
        var near = new NearDedupSpec();
        var documents = new DocumentExamples([Fortune, Fortune.Replace("difficult", "dificult"), "Nobody appreciates the trouble of doing something right the first time."]);
        var sets = Enumerable.Range(0, documents.Count).Select(i => documents.Shingles(i, near)).ToArray();

        var found = NearDuplicates.Find(sets, near.Threshold, near.Bands, near.Rows);

        found.Should().ContainSingle().Which.Id.Should().Be(1);
        found[0].Similarity.Should().BeGreaterThan(0.9);
    }
}
