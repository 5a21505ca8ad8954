using System.Globalization;
using System.Text;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// The co2_eq_emissions block of a Hugging Face model card's YAML metadata: emissions in grams of CO2eq,
/// source, training_type, geographical_location and hardware_used, the fields the Hub's model-card
/// specification names; ModelCardReadme puts it into a whole README.md. Grams keep six significant digits as a plain
/// decimal, so a small run is neither 0 nor "1E-05".
/// </summary>
public static class ModelCardYaml
{
    public static string Write(EmissionsReport report, string? trainingType)
    {
        var hardware = report.Hardware.Gpus.GroupBy(g => g).Select(g => $"{g.Count()} x {g.Key}").ToList();
        if (report.Hardware.CpuModel is { } cpu)
        {
            hardware.Add(cpu);
        }
        var source = $"{report.GeneratedBy}: {string.Join(", ", report.ByMethod.Select(m => m.Key))} energy; intensity "
            + (report.Intensity.SeriesSource ?? $"average {report.Intensity.AverageGramsPerKwh:F0} gCO2eq/kWh") + $"; PUE {report.Pue.ToString(CultureInfo.InvariantCulture)}";
        var location = report.CountryName is { } country ? $"{country} ({report.Region})" : report.Region;
        var yaml = new StringBuilder();
        yaml.Append("co2_eq_emissions:\n");
        yaml.Append("  emissions: ").Append(YamlText.Number(report.EmissionsGrams)).Append('\n');
        yaml.Append("  source: ").Append(Quote(source)).Append('\n');
        yaml.Append("  training_type: ").Append(Quote(trainingType ?? "pre-training")).Append('\n');
        yaml.Append("  geographical_location: ").Append(Quote(location)).Append('\n');
        yaml.Append("  hardware_used: ").Append(Quote(hardware.Count > 0 ? string.Join(", ", hardware) : "unknown")).Append('\n');
        return yaml.ToString();
    }

    private static string Quote(string text) => YamlText.Quote(text);
}
