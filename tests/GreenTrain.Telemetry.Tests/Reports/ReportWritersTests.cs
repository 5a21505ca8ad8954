using System.Xml.Linq;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;

namespace GreenTrain.Telemetry.Tests.Reports;

public sealed class ReportWritersTests
{
    [Fact]
    public void Report_adds_sci_cost_comparison_and_prediction()
    {
        var report = ReportFixtures.Report();

        report.EnergyKwh.Should().BeApproximately(1.3625, 1e-12);
        report.FacilityEnergyKwh.Should().BeApproximately(1.3625 * 1.2, 1e-12);
        report.GpuHours.Should().BeApproximately(70.0 / 60, 1e-12);
        report.Sci.EmbodiedGrams.Should().BeGreaterThan(25 * 70.0 / 60);
        report.Sci.GramsPerRun.Should().BeApproximately(report.EmissionsGrams + report.Sci.EmbodiedGrams, 1e-9);
        report.Cost!.Amount.Should().BeApproximately(0.30 * 1.3625 * 1.2, 1e-12);
        report.RunAtOnce!.SavedGrams.Should().BeApproximately(report.RunAtOnce.EmissionsGrams - report.EmissionsGrams, 1e-9);
        report.Prediction!.TotalSteps.Should().Be(1000);
        report.MethodsByKind.Should().Contain("gpu", "counter").And.Contain("cpu", "estimate");
        report.Intensity.Basis.Should().Be("series");
        report.UnbilledPausedKwh.Should().BeApproximately(500_000 / 3.6e6, 1e-12);
    }

    [Fact]
    public void Without_a_series_the_report_says_one_average_was_used()
    {
        var windows = ReportFixtures.Windows();
        var report = ReportBuilder.Build(windows, ReportFixtures.Run, series: null, ReportFixtures.Accounting(), ReportFixtures.Settings);

        report.Intensity.Basis.Should().Be("average");
        report.Intensity.AverageGramsPerKwh.Should().Be(475);
        report.Notes.Should().Contain(n => n.Contains("No intensity series exists for DE") && n.Contains("one average intensity"));
        report.RunAtOnce.Should().BeNull();
        CarbonLabelSvg.Write(report).Should().Contain("one average (no series)");
    }

    [Fact]
    public void Model_card_block_has_the_hub_fields_with_emissions_in_grams()
    {
        var report = ReportFixtures.Report();

        var yaml = ModelCardYaml.Write(report, "fine-tuning");

        var lines = yaml.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("co2_eq_emissions:");
        lines.Should().Contain(l => l.StartsWith("  emissions: ", StringComparison.Ordinal));
        double.Parse(lines.Single(l => l.StartsWith("  emissions: ", StringComparison.Ordinal))["  emissions: ".Length..], System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeApproximately(report.EmissionsGrams, report.EmissionsGrams * 1e-5);
        lines.Should().Contain("  training_type: \"fine-tuning\"");
        lines.Should().Contain("  geographical_location: \"Germany (DE)\"");
        lines.Should().Contain("  hardware_used: \"1 x NVIDIA H100 80GB HBM3, AMD EPYC 7543 32-Core Processor\"");
        // The version is Telemetry's own, not the host's (here the test runner's).
        var version = typeof(ReportBuilder).Assembly.GetName().Version!.ToString(3);
        lines.Should().Contain(l => l.StartsWith($"  source: \"GreenTrain {version}", StringComparison.Ordinal) && l.Contains("de_2020.csv"));
    }

    [Fact]
    public void Label_is_well_formed_svg_showing_the_emissions_and_escaping_names()
    {
        var report = ReportFixtures.Report() with { ProjectName = "<digits & mlp>" };

        var svg = XDocument.Parse(CarbonLabelSvg.Write(report));

        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        texts.Should().Contain("Carbon Facts");
        texts.Should().Contain($"{Units.Mass(report.EmissionsGrams)} CO2eq");
        texts.Should().Contain("Training run <digits & mlp>");
        texts.Should().Contain(t => t.StartsWith("GPU ", StringComparison.Ordinal) && t.Contains("(counter)"));
    }

    [Theory]
    [InlineData(0.0123, "0.0123")]
    [InlineData(1.23456, "1.23")]
    [InlineData(123.456, "123")]
    [InlineData(4567.8, "4568")]
    public void Label_numbers_keep_three_significant_digits(double value, string text)
    {
        Units.Number(value).Should().Be(text);
    }
}
