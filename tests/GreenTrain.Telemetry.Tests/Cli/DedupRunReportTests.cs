using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry.Cli;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Files;
using GreenTrain.Trainer.Cli;

namespace GreenTrain.Telemetry.Tests.Cli;

/// <summary>A CPU run on digits with a dedup stage, then the offline report: the share removed and the stage's energy reach the report and label.</summary>
public sealed class DedupRunReportTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public void The_report_and_label_of_a_run_with_dedup_state_the_share_removed_and_bill_the_dedup_energy()
    {
        var spec = Path.Combine(_folder.Path, "spec.json");
        File.WriteAllText(spec, """
            { "name": "dedup-report", "dataset": { "kind": "digits", "dedup": { "near": { "threshold": 0.8 }, "prune": { "keepFraction": 0.8, "scoreSteps": 30 } } },
              "training": { "steps": 40, "evalEverySteps": 20 } }
            """);
        var run = Path.Combine(_folder.Path, "run");
        CliApp.Run(TrainerCommandLine.Create(_ => throw new InvalidOperationException("no web service")), ["train", "--config", spec, "--out", run, "--device", "cpu", "--threads", "1"], new StringWriter(), new StringWriter())
            .Should().Be(0);

        var output = Path.Combine(_folder.Path, "report");
        var stderr = new StringWriter();
        var exit = ReportCli.Run(["--energy", run, "--region", "DE", "--out", output], new StringWriter(), stderr);

        exit.Should().Be(0, stderr.ToString());
        var report = JsonSerializer.Deserialize<EmissionsReport>(File.ReadAllText(Path.Combine(output, ReportFiles.Json)), ReportFiles.JsonOptions)!;
        report.Dedup.Should().NotBeNull();
        report.Dedup!.RemovedFraction.Should().BeGreaterThanOrEqualTo(0.2);
        var dedupPhase = report.ByPhase.Should().ContainSingle(p => p.Key == "dedup").Subject;
        dedupPhase.EnergyKwh.Should().BeGreaterThan(0);
        dedupPhase.EnergyKwh.Should().BeLessThan(report.EnergyKwh, "the dedup stage is one part of the run's billed energy");
        File.ReadAllText(Path.Combine(output, ReportFiles.Label)).Should().Contain("Data removed by dedup").And.Contain($"{100 * report.Dedup.RemovedFraction:F1}% of 1258");
    }

    public void Dispose() => _folder.Dispose();
}
