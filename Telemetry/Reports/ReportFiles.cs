using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Reports;

/// <summary>The four files of a run's report, by name, and writing them together into a folder.</summary>
public static class ReportFiles
{
    public const string Csv = "emissions.csv";
    public const string Json = "report.json";
    public const string ModelCard = "model-card.yaml";
    public const string Label = "label.svg";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ToJson(EmissionsReport report) => JsonSerializer.Serialize(report, JsonOptions);

    /// <summary>Writes the four files into <paramref name="folder"/> (created if needed); returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(string folder, EmissionsReport report, IReadOnlyList<EnergyWindow> windows, ReportSettings settings)
    {
        Directory.CreateDirectory(folder);
        var files = new (string Name, string Content)[]
        {
            (Csv, CodeCarbonCsv.Write(report, windows, settings)),
            (Json, ToJson(report)),
            (ModelCard, ModelCardYaml.Write(report, settings.TrainingType)),
            (Label, CarbonLabelSvg.Write(report)),
        };
        var paths = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path + ".tmp", content);
            File.Move(path + ".tmp", path, overwrite: true);
            paths.Add(path);
        }
        return paths;
    }
}
