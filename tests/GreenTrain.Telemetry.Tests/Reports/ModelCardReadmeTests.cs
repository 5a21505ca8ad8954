using System.Diagnostics;
using System.Text.Json;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Files;

namespace GreenTrain.Telemetry.Tests.Reports;

/// <summary>The README.md model card as the Hub reads it: its front matter parsed by a real YAML parser (Debian's python3-yaml).</summary>
public sealed class ModelCardReadmeTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private static readonly TrainedModelFacts Digits = new("digits-mlp", "digits", "mlp", "accuracy", 0.9721448467966574, 0.122, 380);

    [Fact]
    public void Front_matter_parses_with_emissions_a_number_in_grams_and_the_test_metric_in_the_model_index()
    {
        var report = ReportFixtures.Report() with { EmissionsGrams = 1e-5 }; // "1E-05" would be a YAML string

        using var card = FrontMatter(ModelCardReadme.Write(report, "fine-tuning", Digits));

        var co2 = card.RootElement.GetProperty("co2_eq_emissions");
        co2.GetProperty("emissions").ValueKind.Should().Be(JsonValueKind.Number);
        co2.GetProperty("emissions").GetDouble().Should().Be(1e-5);
        co2.GetProperty("training_type").GetString().Should().Be("fine-tuning");
        co2.GetProperty("hardware_used").GetString().Should().StartWith("1 x NVIDIA H100 80GB HBM3");
        co2.GetProperty("geographical_location").GetString().Should().Be("Germany (DE)");
        var result = card.RootElement.GetProperty("model-index")[0].GetProperty("results")[0];
        result.GetProperty("task").GetProperty("type").GetString().Should().Be("image-classification");
        result.GetProperty("dataset").GetProperty("type").GetString().Should().Be("digits");
        var metric = result.GetProperty("metrics")[0];
        metric.GetProperty("type").GetString().Should().Be("accuracy");
        metric.GetProperty("value").GetDouble().Should().BeApproximately(0.972145, 1e-6);
        card.RootElement.GetProperty("datasets")[0].GetString().Should().Be("digits");
    }

    [Theory]
    [InlineData(1e-5, "0.00001")]
    [InlineData(1234.56789, "1234.57")]
    [InlineData(0.000123456789, "0.000123457")]
    public void Numbers_are_plain_decimals(double value, string text) => YamlText.Number(value).Should().Be(text);

    [Fact]
    public void The_report_command_reads_the_runs_result_for_the_card()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "result.json"),
            """{"name":"digits-mlp","steps":380,"metric":"accuracy","test":{"loss":0.12,"accuracy":0.97},"spec":{"dataset":{"kind":"digits"},"model":{"kind":"mlp"}}}""");

        TrainedModelFacts.Read(_folder.Path).Should().Be(new TrainedModelFacts("digits-mlp", "digits", "mlp", "accuracy", 0.97, 0.12, 380));
        TrainedModelFacts.Read(Path.Combine(_folder.Path, "none")).Should().BeNull();
    }

    /// <summary>The YAML between the two `---` lines, parsed by PyYAML's safe_load and handed back as JSON.</summary>
    private JsonDocument FrontMatter(string readme)
    {
        readme.Should().StartWith("---\n");
        var path = Path.Combine(_folder.Path, "README.md");
        File.WriteAllText(path, readme);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import json, sys, yaml; text = open(sys.argv[1]).read(); print(json.dumps(yaml.safe_load(text.split('---\\n')[1])))");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"PyYAML must parse the front matter (python3-yaml installed?): {stderr.Result}");
        return JsonDocument.Parse(stdout);
    }

    public void Dispose() => _folder.Dispose();
}
