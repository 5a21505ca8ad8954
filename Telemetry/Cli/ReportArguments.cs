using System.Globalization;

namespace GreenTrain.Telemetry.Cli;

/// <summary>The options of `report`, parsed with messages that name the bad option.</summary>
public sealed record ReportArguments(
    string EnergyFolder,
    string OutFolder,
    string? Region,
    string? TracePath,
    string TraceTimeZone,
    double? AverageIntensity,
    double? Pue,
    string? Cloud,
    string? CloudRegion,
    double? PricePerKwh,
    string Currency,
    double EmbodiedGramsPerGpuHour,
    string? TrainingType)
{
    public const string Usage = """
        usage: dotnet run --project Telemetry -- report --energy DIR --out DIR [options]
          --energy DIR          a run's output folder with energy.jsonl (and energy-run.json)
          --out DIR             where emissions.csv, report.json, model-card.yaml and label.svg go
          --region R            grid region, e.g. DE (default: the region in energy-run.json)
          --trace FILE          intensity trace, CSV with Time,Carbon Intensity (gCO2eq/kWh)
          --trace-timezone TZ   time zone of trace stamps without an offset (default UTC)
          --intensity G         the one average intensity when there is no trace (default 475, world 2019)
          --pue P               power usage effectiveness (default 1.0, or the cloud's average)
          --cloud aws|gcp|azure the provider, for its PUE and the CSV's cloud columns
          --cloud-region NAME   the provider's region name, for the CSV
          --price X             energy price per kWh, for the cost figure
          --currency C          currency of --price (default EUR)
          --embodied G          embodied emissions per GPU-hour in g, for SCI (default 0)
          --training-type T     pre-training or fine-tuning, for the model card
        """;

    public static ReportArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"'{args[i]}' is not an option with a value.");
            }
            values[args[i][2..]] = args[++i];
        }
        string? Text(string name) => values.Remove(name, out var v) ? v : null;
        double? Number(string name, double min, double max)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"--{name} must be a number from {min} to {max}, not '{text}'.");
        }
        var parsed = new ReportArguments(
            CallerPath.Resolve(Text("energy") ?? throw new ArgumentException("--energy DIR is required.")),
            CallerPath.Resolve(Text("out") ?? throw new ArgumentException("--out DIR is required.")),
            Text("region"), Text("trace") is { } trace ? CallerPath.Resolve(trace) : null, Text("trace-timezone") ?? "UTC",
            Number("intensity", 0, 5000), Number("pue", 1, 3), Text("cloud"), Text("cloud-region"),
            Number("price", 0, 1000), Text("currency") ?? "EUR", Number("embodied", 0, 1e6) ?? 0, Text("training-type"));
        return values.Count == 0 ? parsed : throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
    }
}
