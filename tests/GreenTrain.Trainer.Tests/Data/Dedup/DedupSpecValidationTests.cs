using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class DedupSpecValidationTests
{
    private static IEnumerable<string> Errors(string json) => ExperimentSpecJson.Parse(json).Errors.Select(e => e.ToString());

    [Fact]
    public void A_dedup_spec_with_every_stage_is_valid_and_keeps_its_settings()
    {
        var parsed = ExperimentSpecJson.Parse("""
            { "dataset": { "kind": "digits", "dedup": { "exact": true, "near": { "threshold": 0.85, "bands": 16, "rows": 8 },
              "semantic": { "eps": 0.05, "clusters": 10, "proxySteps": 50 }, "prune": { "keepFraction": 0.7 } } } }
            """);

        parsed.IsValid.Should().BeTrue(string.Join("; ", parsed.Errors));
        var dedup = parsed.Spec!.Dataset.Dedup!;
        dedup.Near!.Threshold.Should().Be(0.85);
        dedup.Near.ShingleSize.Should().Be(3, "left out, it keeps its default");
        dedup.Semantic!.Clusters.Should().Be(10);
        dedup.Prune!.KeepFraction.Should().Be(0.7);
    }

    [Fact]
    public void Bad_dedup_settings_are_named_by_their_json_path()
    {
        Errors("""{ "dataset": { "dedup": { "near": { "threshold": 1.5, "bands": 0 }, "semantic": { "eps": 0 }, "prune": { "keepFraction": 0 } } } }""")
            .Should().BeEquivalentTo(
                "$.dataset.dedup.near.threshold: must be > 0 and <= 1",
                "$.dataset.dedup.near.bands: must be between 1 and 512",
                "$.dataset.dedup.semantic.eps: must be > 0 and < 1",
                "$.dataset.dedup.prune.keepFraction: must be > 0 and <= 1");
        Errors("""{ "dataset": { "dedup": { "exact": false } } }""").Should().Equal("$.dataset.dedup: turns every stage off: set exact, near, semantic or prune");
        Errors("""{ "dataset": { "dedup": { "nearr": {} } } }""").Should().Contain("$.dataset.dedup.nearr: is not a known field");
    }

    [Fact]
    public void Text_dedup_needs_documents_and_cannot_prune()
    {
        const string model = """ "model": { "kind": "gpt", "width": 32, "heads": 2, "contextLength": 16 } """;
        Errors($$"""{ "dataset": { "kind": "text", "path": "x.txt", "dedup": { "prune": {} } }, {{model}} }""").Should().BeEquivalentTo(
            "$.dataset.documents: text dedup needs documents (fortune, line or paragraph): dedup removes whole documents",
            "$.dataset.dedup.prune: EL2N scores labelled examples: it needs a classification dataset");
        Errors("""{ "dataset": { "kind": "digits", "documents": "line" } }""").Should().Equal("$.dataset.documents: applies to text datasets only");
    }
}
