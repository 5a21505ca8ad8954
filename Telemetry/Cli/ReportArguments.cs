using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Telemetry.Cli;

/// <summary>The values of one `report` run; paths are resolved against the caller's folder.</summary>
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
    string? TrainingType,
    double EmbodiedLifetimeYears = Reports.Embodied.EmbodiedFactors.LifetimeYears,
    bool ReservedWhilePaused = true);

/// <summary>The options of `report`, typed and range-checked by the parser (one set per command).</summary>
public sealed class ReportOptions
{
    public readonly Option<string> Energy = Text("--energy", "DIR", "a run's output folder with energy.jsonl (and energy-run.json)", required: true);
    public readonly Option<string> Out = Text("--out", "DIR", "where emissions.csv, report.json, model-card.yaml and label.svg go", required: true);
    public readonly Option<string> Region = Text("--region", "R", "grid region, e.g. DE (default: the region in energy-run.json)");
    public readonly Option<string> Trace = Text("--trace", "FILE", "intensity trace, CSV with Time,Carbon Intensity (gCO2eq/kWh)");
    public readonly Option<string> TraceTimeZone = Text("--trace-timezone", "TZ", "time zone of trace stamps without an offset", fallback: "UTC");
    public readonly Option<double?> Intensity = CliOptions.OptionalNumber("--intensity", "the one average intensity in g/kWh when there is no trace (default 475, world 2019)", 0, 5000);
    public readonly Option<double?> Pue = CliOptions.OptionalNumber("--pue", "power usage effectiveness (default 1.0, or the cloud's average)", 1, 3);
    public readonly Option<string> Cloud = Text("--cloud", "aws|gcp|azure", "the provider, for its PUE and the CSV's cloud columns");
    public readonly Option<string> CloudRegion = Text("--cloud-region", "NAME", "the provider's region name, for the CSV");
    public readonly Option<double?> Price = CliOptions.OptionalNumber("--price", "energy price per kWh, for the cost figure", 0, 1000);
    public readonly Option<string> Currency = Text("--currency", "C", "currency of --price", fallback: "EUR");
    public readonly Option<double> Embodied = CliOptions.Number("--embodied", "SCI embodied emissions per reserved GPU-hour in g, replacing the per-model default (0: the default)", 0, 0, 1e6);
    public readonly Option<double> Lifetime = CliOptions.Number("--embodied-lifetime", "SCI's EL: the devices' lifespan in years, over which M is spread",
        Reports.Embodied.EmbodiedFactors.LifetimeYears, 0.5, 30);
    public readonly Option<bool> ReleasedWhilePaused = new("--released-while-paused")
    {
        Description = "the devices are given back while the job is paused, so only running time carries M (default: they stay reserved)",
    };
    public readonly Option<string> TrainingType = Text("--training-type", "T", "pre-training or fine-tuning, for the model card");

    public IEnumerable<Option> All => [Energy, Out, Region, Trace, TraceTimeZone, Intensity, Pue, Cloud, CloudRegion, Price, Currency, Embodied, Lifetime, ReleasedWhilePaused, TrainingType];

    public ReportArguments Read(ParseResult p) => new(
        CallerPath.Resolve(p.GetRequiredValue(Energy)), CallerPath.Resolve(p.GetRequiredValue(Out)), p.GetValue(Region),
        p.GetValue(Trace) is { } trace ? CallerPath.Resolve(trace) : null, p.GetValue(TraceTimeZone)!, p.GetValue(Intensity), p.GetValue(Pue),
        p.GetValue(Cloud), p.GetValue(CloudRegion), p.GetValue(Price), p.GetValue(Currency)!, p.GetValue(Embodied), p.GetValue(TrainingType),
        p.GetValue(Lifetime), !p.GetValue(ReleasedWhilePaused));

    private static Option<string> Text(string name, string helpName, string description, bool required = false, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName, Required = required };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }
        return option;
    }
}
