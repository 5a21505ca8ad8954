using System.CommandLine;
using System.Globalization;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Sweeps.Local;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>
/// `sweep --config SWEEP.json --local`: runs a hyper-parameter sweep on this machine, trials one after another through
/// the Trainer (a child process each), promoted trials resumed from their checkpoints; prints each segment and writes
/// the sweep report (docs/sweeps.md). Exit codes: 0 done, 2 bad input, 1 a trial failed.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var config = CliOptions.ExistingFile("--config", "the sweep (JSON; see docs/sweeps.md and Scheduler/Data/sweeps/)");
        var local = new Option<bool>("--local") { Description = "run the trials here, one after another, without the services" };
        var work = CliOptions.Folder("--work", "folder for the trials' specs, checkpoints and results", required: false, fallback: Path.Combine("artifacts", "sweeps"));
        var output = new Option<FileInfo?>("--out") { Description = "the sweep report (default: WORK/NAME/sweep-report.json)", HelpName = "FILE" };
        var trainer = new Option<FileInfo?>("--trainer") { Description = "GreenTrain.Trainer.dll (default: Trainer/bin/Release|Debug/net10.0/ of this checkout)", HelpName = "DLL" };
        var threads = CliOptions.Int("--threads", "CPU threads of each trial", Math.Max(1, Environment.ProcessorCount - 1));
        var intensity = CliOptions.Number("--intensity", "grid intensity for the emissions of a local sweep, g CO2eq/kWh (no series on one machine)", 442, 0);
        var pue = CliOptions.Number("--pue", "power usage effectiveness of this machine's room", 1.0, 1.0);
        var command = new Command("sweep", "Search hyper-parameters with grid, random, successive halving, ASHA or Hyperband; report accuracy against energy.")
        {
            config, local, work, output, trainer, threads, intensity, pue,
        };
        command.SetAction((parsed, token) => Task.FromResult(Run(parsed.GetRequiredValue(config).FullName, parsed.GetValue(local), parsed.GetValue(work)!.FullName,
            parsed.GetValue(output)?.FullName, parsed.GetValue(trainer)?.FullName, parsed.GetValue(threads),
            new EmissionFactors(parsed.GetValue(intensity), parsed.GetValue(pue), "constant (--intensity)"),
            parsed.InvocationConfiguration.Output, token)));
        return command;
    }

    private static int Run(string configFile, bool local, string work, string? reportFile, string? trainerDll, int threads,
        EmissionFactors emissions, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = SweepSpecJson.Parse(File.ReadAllText(configFile), Path.GetDirectoryName(configFile));
        if (!parsed.IsValid)
        {
            throw new UsageException([$"{configFile} has {parsed.Errors.Count} problem(s):", .. parsed.Errors.Select(e => $"  {e}")]);
        }
        if (!local)
        {
            throw new UsageException("only --local runs a sweep from the command line; through the services, POST the sweep to the Scheduler's /sweeps");
        }
        var spec = parsed.Spec!;
        var dll = trainerDll ?? FindTrainer() ?? throw new UsageException(
            "the Trainer is not built: run `dotnet build Trainer -c Release`, or pass --trainer PATH/GreenTrain.Trainer.dll");
        var folder = Path.Combine(work, spec.Name);
        var space = new SearchSpace(spec.Space);
        output.WriteLine($"sweep {spec.Name}: {spec.Algorithm.Kind} over {space.GridSize} grid configurations ({spec.Space.Count} dimensions), "
            + $"{spec.Metric.Name} {spec.Metric.Goal.ToString().ToLowerInvariant()}, {spec.Resource.Min}-{spec.Resource.Max} {spec.Resource.Unit.ToString().ToLowerInvariant()}; trials in {folder}");
        try
        {
            var outcome = new SweepDriver(spec, new ProcessTrialRunner(dll, folder, threads), emissions, output.WriteLine).Run(cancellationToken);
            var report = SweepReport.Build(outcome, emissions);
            var path = reportFile ?? Path.Combine(folder, "sweep-report.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, report.ToJson());
            output.WriteLine(Describe(report));
            output.WriteLine($"wrote {path}");
            return ExitCodes.Done;
        }
        catch (TrialFailedException e)
        {
            output.WriteLine(e.Message);
            return ExitCodes.Failure;
        }
    }

    public static string Describe(SweepReport report)
    {
        var best = report.Best is { } b
            ? $"best {b.TrialId} [{string.Join(' ', b.Values.Select(v => $"{v.Key}={v.Value?.ToJsonString()}"))}] validation {report.Metric} {b.Metric:F4}, test accuracy {b.TestAccuracy:F4}"
            : "no trial finished";
        return string.Create(CultureInfo.InvariantCulture,
            $"{best}\nsearch: {report.Trials.Count} trials, {report.TotalSteps} steps, {report.TotalKwh:F6} kWh, {report.TotalGramsCo2:F3} g CO2eq; "
            + $"grid: {report.Grid.Kwh:F6} kWh ({(report.Grid.Estimate ? "estimate" : "measured")}), search/grid {report.EnergyVsGrid:P1}; "
            + $"Pareto frontier (accuracy vs energy): {string.Join(", ", report.ParetoFrontier)}");
    }

    /// <summary>The Trainer built in this checkout: Trainer/bin/{Release,Debug}/net10.0/ above the working directory or beside this binary.</summary>
    private static string? FindTrainer()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                foreach (var configuration in new[] { "Release", "Debug" })
                {
                    var dll = Path.Combine(folder.FullName, "Trainer", "bin", configuration, "net10.0", "GreenTrain.Trainer.dll");
                    if (File.Exists(dll)) return dll;
                }
            }
        }
        return null;
    }
}
