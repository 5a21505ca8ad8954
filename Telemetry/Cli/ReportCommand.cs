using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Cli;

/// <summary>
/// `report`: the four report files from a standalone run's output folder, with no store and no web server.
/// Exit codes: 0 written, 1 bad data, 2 bad usage.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var options = new ReportOptions();
        var command = new Command("report", "Make emissions.csv, report.json, model-card.yaml and label.svg from a standalone run's folder (no store, no web server).");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parsed => Run(options.Read(parsed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(ReportArguments options, TextWriter output, TextWriter error)
    {
        try
        {
            var (windows, run, warnings) = EnergyFolderReader.Read(options.EnergyFolder);
            foreach (var warning in warnings)
            {
                error.WriteLine($"warning: {warning}");
            }
            var region = options.Region ?? run?.Region
                ?? throw new ArgumentException("--region is required: energy-run.json does not name the run's region.");
            var series = options.TracePath is { } trace
                ? TraceReader.ReadFile(trace, region, TracePolicy.ForZone(options.TraceTimeZone))
                : null;
            var (pue, pueSource) = PueDefaults.Resolve(options.Pue, options.Cloud);
            var accounting = new AccountingSettings(region, pue,
                options.AverageIntensity ?? AverageIntensity.WorldGramsPerKwh,
                options.AverageIntensity is null ? AverageIntensity.WorldSource : "given with --intensity");
            var settings = new ReportSettings(pueSource, options.PricePerKwh, options.Currency, options.EmbodiedGramsPerGpuHour,
                options.Cloud ?? "", options.CloudRegion ?? "", TrainingType: options.TrainingType ?? run?.TrainingType,
                EmbodiedLifetimeYears: options.EmbodiedLifetimeYears, ReservedWhilePaused: options.ReservedWhilePaused);
            var report = ReportBuilder.Build(windows, run, series, accounting, settings) with { Dedup = EnergyFolderReader.ReadDedup(options.EnergyFolder) };
            var paths = ReportFiles.WriteAll(options.OutFolder, report, windows, settings, TrainedModelFacts.Read(options.EnergyFolder));

            output.WriteLine($"{windows.Count} windows, {Units.Energy(report.EnergyKwh)} IT energy, PUE {pue}, "
                + $"{Units.Mass(report.EmissionsGrams)} CO2eq at {Units.Number(report.Intensity.MeanGramsPerKwh)} g/kWh ({report.Intensity.Basis})");
            foreach (var note in report.Notes)
            {
                output.WriteLine($"note: {note}");
            }
            foreach (var path in paths)
            {
                output.WriteLine($"wrote {path}");
            }
            return ExitCodes.Done;
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or TimeZoneNotFoundException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
