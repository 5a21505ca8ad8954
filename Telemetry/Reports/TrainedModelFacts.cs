using System.Text.Json;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// What the model card says about the model itself, read from the run folder's result.json (written by the Trainer's
/// `train`): its name, data set, model kind and the test split's score. Null fields are simply left out of the card.
/// </summary>
public sealed record TrainedModelFacts(string Name, string? Dataset, string? ModelKind, string Metric, double? TestAccuracy, double? TestLoss, long? Steps)
{
    public const string FileName = "result.json";

    /// <summary>The facts in FOLDER/result.json, or null when the run folder has none (an energy-only folder).</summary>
    public static TrainedModelFacts? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        string? Text(JsonElement e, params string[] names) => Walk(e, names) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        double? Number(params string[] names) => Walk(root, names) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
        return new TrainedModelFacts(
            Text(root, "name") ?? "model", Text(root, "spec", "dataset", "kind"), Text(root, "spec", "model", "kind"),
            Text(root, "metric") ?? "accuracy", Number("test", "accuracy"), Number("test", "loss"), (long?)Number("steps"));
    }

    private static JsonElement? Walk(JsonElement element, string[] names)
    {
        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element;
    }
}
