using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Data.Dedup;

namespace GreenTrain.Trainer.Tests.Cli;

public sealed class DedupCommandTests : IDisposable
{
    private const string DedupDigits = """
        { "name": "dedup-digits", "dataset": { "kind": "digits", "dedup": { "exact": true, "near": { "imageDifference": 0.1 },
          "semantic": { "eps": 0.01, "proxySteps": 40 }, "prune": { "keepFraction": 0.9, "scoreSteps": 40 } } },
          "training": { "steps": 120, "evalEverySteps": 40 } }
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dedup-cli-");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private int Run(params string[] args) =>
        CliApp.Run(TrainerCommandLine.Create(_ => throw new InvalidOperationException("dedup and train must not start the web service")), args, _output, _error);

    private string Config(string json)
    {
        var path = Path.Combine(_folder.FullName, "spec.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_dedup_verb_writes_a_manifest_that_explains_every_removed_digit_and_a_summary_that_adds_up()
    {
        var output = Path.Combine(_folder.FullName, "out");

        var exit = Run("dedup", "--config", Config(DedupDigits), "--out", output, "--device", "cpu", "--threads", "1");

        exit.Should().Be(0, _error.ToString());
        var summary = DedupFiles.ReadSummary(output);
        var manifest = DedupFiles.ReadManifest(output);
        summary.Examples.Should().Be(1258, "digits' training split: 1,797 less 10 % validation and 20 % test");
        var leaks = manifest.Where(m => m.Stage == "overlap").ToList();
        manifest = [.. manifest.Where(m => m.Stage != "overlap")];
        (summary.Examples - summary.Kept).Should().Be(manifest.Count);
        summary.Stages.Select(s => s.Stage).Should().Equal("exact", "near", "semantic", "prune");
        summary.Stages.Sum(s => s.Removed).Should().Be(manifest.Count);
        summary.Overlap.Should().NotBeNull("the validation and test digits are checked against the kept training digits");
        leaks.Count(m => m.Split == "validation").Should().Be(summary.Overlap!.ValidationOverlap);
        leaks.Count(m => m.Split == "test").Should().Be(summary.Overlap.TestOverlap);
        leaks.Where(m => m.Match == null || manifest.Any(r => r.Id == m.Match)).Should().BeEmpty("a leak points at a training digit that was kept");
        manifest.Select(m => m.Id).Should().OnlyHaveUniqueItems();
        // A match was kept by its own stage and those before it (a later stage may still remove it).
        var goneBy = manifest.ToDictionary(m => m.Id, m => m.Stage);
        string[] order = ["exact", "near", "semantic", "prune"];
        Func<int, string, bool> keptThrough = (id, stage) => !goneBy.TryGetValue(id, out var s) || Array.IndexOf(order, s) > Array.IndexOf(order, stage);
        manifest.Where(m => m.Stage is "near").Should().NotBeEmpty().And.OnlyContain(m => m.Similarity >= 0.9 && m.Match < m.Id && keptThrough(m.Match!.Value, "near"));
        manifest.Where(m => m.Stage is "semantic").Should().OnlyContain(m => m.Cluster != null && m.Similarity > 0.99 && keptThrough(m.Match!.Value, "semantic"));
        manifest.Count(m => m.Stage == "prune").Should().Be(summary.Stages[2].Input - summary.Stages[2].Removed - summary.Kept);
        manifest.Should().OnlyContain(m => m.Split == "train" && m.Source >= 0 && m.Source < 1797);
        summary.EnergyJoules.Should().BeGreaterThan(0);
        File.ReadAllText(Path.Combine(output, "energy.jsonl")).Should().Contain("\"dedup\"");
    }

    [Fact]
    public void Training_with_dedup_on_digits_trains_on_the_kept_examples_and_reports_the_share_removed()
    {
        var output = Path.Combine(_folder.FullName, "train");

        var exit = Run("train", "--config", Config(DedupDigits), "--out", output, "--device", "cpu", "--threads", "1");

        exit.Should().Be(0, _error.ToString());
        var result = ResultFile.Read(output);
        result.Dedup.Should().NotBeNull();
        result.Dedup!.RemovedFraction.Should().BeInRange(0.1, 0.5, "prune alone removes 10 % of what is left");
        result.Dedup.Should().BeEquivalentTo(DedupFiles.ReadSummary(output));
        result.Test.Accuracy.Should().BeGreaterThan(0.8);
        var windows = File.ReadAllLines(Path.Combine(output, "energy.jsonl"));
        windows.First().Should().Contain("\"phase\":\"dedup\"", "the dedup stage is metered before training");
        windows.Should().Contain(w => w.Contains("\"phase\":\"train\""));
        _output.ToString().Should().Contain("dedup: 1258 -> ");
    }

    [Fact]
    public void A_spec_without_dataset_dedup_is_bad_input_for_the_dedup_verb()
    {
        var exit = Run("dedup", "--config", Config("""{ "name": "plain" }"""), "--out", Path.Combine(_folder.FullName, "x"));

        exit.Should().Be(ExitCodes.Usage);
        _error.ToString().Should().Contain("has no dataset.dedup");
    }

    [Fact]
    public void The_dedup_verb_has_generated_help_and_names_a_bad_option()
    {
        Run("dedup", "--help").Should().Be(ExitCodes.Done);
        _output.ToString().Should().Contain("--config").And.Contain("--threads");
        Run("dedup", "--config", Config(DedupDigits), "--out", _folder.FullName, "--threads", "0").Should().Be(ExitCodes.Usage);
        _error.ToString().Should().Contain("--threads");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
