using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Cli;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using GreenTrain.Testing.Files;

namespace GreenTrain.Telemetry.Tests.Cli;

/// <summary>
/// Issue 6's "done when", as a test: a standalone CPU training run on the embedded digits, measured by the
/// real meter of this machine, then the offline report over its output folder.
/// </summary>
public sealed class DigitsRunReportTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public void Cpu_run_on_digits_then_offline_report_gives_four_files_with_codecarbon_units()
    {
        var run = Path.Combine(_folder.Path, "run");
        var spec = new ExperimentSpec
        {
            Name = "digits-mlp",
            Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 64, Depth = 1 },
            Training = new TrainingSpec { Epochs = 3, BatchSize = 64, EvalEverySteps = 20, Seed = 7, Optimizer = new OptimizerSpec { LearningRate = 3e-3 } },
        };
        TrainingResult result;
        using (var energy = new RunFolderEnergy(run, "digits-mlp", new EnergyOptions(), region: "DE"))
        {
            energy.Observer.EveryNSteps.Should().BePositive();
            result = TrainingSession.Run(spec, new RunOptions { CpuThreads = 1 }, [energy.Observer], NullLogger.Instance);
        }

        var windows = File.ReadLines(Path.Combine(run, EnergyFiles.WindowsFileName))
            .Select(l => JsonSerializer.Deserialize<EnergyWindow>(l, EnergyFiles.JsonOptions)!).ToList();
        windows.Select(w => w.Phase).Should().Contain([EnergyPhase.Train, EnergyPhase.Evaluate]);
        windows.Zip(windows.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start && p.First.StepEnd == p.Second.StepStart);
        windows[^1].StepEnd.Should().Be(result.Steps);
        windows.SelectMany(w => w.Devices).Should().OnlyContain(d => d.Joules >= 0).And.Contain(d => d.Kind == DeviceKind.Cpu);

        var output = Path.Combine(_folder.Path, "report");
        var stderr = new StringWriter();
        var exit = ReportCli.Run(["--energy", run, "--trace", TestWindows.TracePath, "--out", output], new StringWriter(), stderr);

        exit.Should().Be(0, stderr.ToString());
        Directory.GetFiles(output).Select(Path.GetFileName).Should().BeEquivalentTo(
            ReportFiles.Csv, ReportFiles.Json, ReportFiles.ModelCard, ReportFiles.Label, ReportFiles.Readme);
        var csv = File.ReadAllLines(Path.Combine(output, ReportFiles.Csv));
        csv[0].Split(',').Should().Equal(CodeCarbonCsv.Columns);
        var row = csv[0].Split(',').Zip(csv[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        var report = JsonSerializer.Deserialize<EmissionsReport>(File.ReadAllText(Path.Combine(output, ReportFiles.Json)), ReportFiles.JsonOptions)!;
        double.Parse(row["energy_consumed"], System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeApproximately(windows.Sum(w => w.Devices.Sum(d => d.Joules)) / 3.6e6, 1e-12); // kWh
        double.Parse(row["emissions"], System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeApproximately(report.EmissionsGrams / 1000, 1e-15); // kg
        report.Region.Should().Be("DE"); // from energy-run.json
        report.Prediction.Should().NotBeNull();
        // The run happens now, outside the 2020 trace: its mean stands in, and the report says so.
        report.Notes.Should().Contain(n => n.Contains("fall outside de_2020.csv"));
    }

    public void Dispose() => _folder.Dispose();
}
