using System.Text;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// README.md as the Hugging Face Hub reads a model card: YAML front matter (tags, datasets, metrics, the
/// co2_eq_emissions block of <see cref="ModelCardYaml"/> and a model-index with the test metric), then a body that
/// says what was measured and assumed. The front matter fields follow the Hub's model-card metadata specification
/// (huggingface.co/docs/hub/model-cards); model-index is the format its evaluation results widget reads.
/// </summary>
public static class ModelCardReadme
{
    public const string FileName = "README.md";

    public static string Write(EmissionsReport report, string? trainingType, TrainedModelFacts? model)
    {
        var name = model?.Name ?? report.ProjectName;
        var card = new StringBuilder("---\n");
        card.Append("library_name: torchsharp\n");
        card.Append("tags:\n  - greentrain\n  - torchsharp\n").Append(model?.ModelKind is { } kind ? $"  - {kind}\n" : "");
        if (model?.Dataset is { } dataset)
        {
            card.Append("datasets:\n  - ").Append(dataset).Append('\n');
        }
        var metric = Metric(model);
        if (metric is not null)
        {
            card.Append("metrics:\n  - ").Append(metric.Value.Type).Append('\n');
        }
        card.Append(ModelCardYaml.Write(report, trainingType));
        if (metric is { } m && model is not null)
        {
            var (taskType, taskName) = Task(model.Dataset);
            card.Append("model-index:\n")
                .Append("  - name: ").Append(YamlText.Quote(name)).Append('\n')
                .Append("    results:\n")
                .Append("      - task:\n")
                .Append("          type: ").Append(taskType).Append('\n')
                .Append("          name: ").Append(YamlText.Quote(taskName)).Append('\n')
                .Append("        dataset:\n")
                .Append("          type: ").Append(model.Dataset ?? "unknown").Append('\n')
                .Append("          name: ").Append(YamlText.Quote(model.Dataset ?? "unknown")).Append('\n')
                .Append("          split: test\n")
                .Append("        metrics:\n")
                .Append("          - type: ").Append(m.Type).Append('\n')
                .Append("            value: ").Append(YamlText.Number(m.Value)).Append('\n')
                .Append("            name: ").Append(YamlText.Quote(m.Name)).Append('\n');
        }
        card.Append("---\n\n");
        card.Append("# ").Append(name).Append("\n\n");
        card.Append(model?.ModelKind is { } k ? $"A {k} trained with GreenTrain (TorchSharp)" : "A model trained with GreenTrain (TorchSharp)")
            .Append(model?.Dataset is { } d ? $" on {d}" : "").Append(model?.Steps is { } s ? $" for {s} optimizer steps" : "").Append(".\n\n");
        if (metric is { } shown)
        {
            card.Append($"Test {shown.Name.ToLowerInvariant().Replace("test ", "", StringComparison.Ordinal)}: {YamlText.Number(shown.Value, 4)}.\n\n");
        }
        card.Append("## Training emissions\n\n| | |\n|---|---|\n")
            .Append($"| energy (devices) | {Units.Energy(report.EnergyKwh)} |\n")
            .Append($"| PUE | {YamlText.Number(report.Pue)} ({report.PueSource}) |\n")
            .Append($"| grid intensity | {Units.Number(report.Intensity.MeanGramsPerKwh)} gCO2eq/kWh ({report.Intensity.SeriesSource ?? report.Intensity.AverageSource ?? report.Intensity.Basis}) |\n")
            .Append($"| emissions | {Units.Mass(report.EmissionsGrams)} CO2eq |\n")
            .Append($"| SCI per training run | {Units.Mass(report.Sci.GramsPerRun)} CO2eq ({Units.Mass(report.Sci.EmbodiedGrams)} embodied) |\n")
            .Append($"| where | {report.CountryName ?? report.Region} ({report.Region}) |\n\n");
        foreach (var note in report.Notes)
        {
            card.Append("- ").Append(note).Append('\n');
        }
        card.Append("\n## Files\n\n`model.safetensors` and `model.pt` (a PyTorch state_dict) hold the fp32 weights; `model.json` describes the ")
            .Append("architecture. In PyTorch, build the same module and `model.load_state_dict(torch.load(\"model.pt\"), strict=True)`.\n");
        return card.ToString();
    }

    private static (string Type, double Value, string Name)? Metric(TrainedModelFacts? model) => model switch
    {
        { TestAccuracy: { } accuracy } => ("accuracy", accuracy, "Test accuracy"),
        { TestLoss: { } loss } => ("loss", loss, "Test loss"),
        _ => null,
    };

    /// <summary>The Hub's task id for GreenTrain's data sets: the image sets classify, the text corpus generates.</summary>
    private static (string Type, string Name) Task(string? dataset) => dataset switch
    {
        "text" => ("text-generation", "Text Generation"),
        _ => ("image-classification", "Image Classification"),
    };
}
