using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Reports;

/// <summary>The files of a run's report, by name, and writing them together into a folder.</summary>
public static class ReportFiles
{
    public const string Csv = "emissions.csv";
    public const string Json = "report.json";
    public const string ModelCard = "model-card.yaml";
    public const string Label = "label.svg";
    public const string Readme = ModelCardReadme.FileName;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ToJson(EmissionsReport report) => JsonSerializer.Serialize(report, JsonOptions);

    /// <summary>
    /// Writes the report files and the model card README.md into <paramref name="folder"/> (created if needed); the
    /// card's model-index needs the run's result (<paramref name="model"/>). Returns their paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string folder, EmissionsReport report, IReadOnlyList<EnergyWindow> windows, ReportSettings settings,
        TrainedModelFacts? model = null)
    {
        Directory.CreateDirectory(folder);
        var files = new (string Name, string Content)[]
        {
            (Csv, CodeCarbonCsv.Write(report, windows, settings)),
            (Json, ToJson(report)),
            (ModelCard, ModelCardYaml.Write(report, settings.TrainingType)),
            (Label, CarbonLabelSvg.Write(report)),
            (Readme, ModelCardReadme.Write(report, settings.TrainingType, model)),
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
