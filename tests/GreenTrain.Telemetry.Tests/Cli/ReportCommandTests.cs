using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Cli;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Nvml;
using GreenTrain.Trainer.Energy.Sinks;
using GreenTrain.Testing.Files;
using GreenTrain.Testing.Time;
using GreenTrain.Trainer.Tests.Energy.Support;

namespace GreenTrain.Telemetry.Tests.Cli;

/// <summary>A standalone run's folder, written by the real meter and writer, turned into the four report files.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2020, 6, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Offline_report_makes_all_four_files_from_a_run_folder()
    {
        var run = WriteRun(Path.Combine(_folder.Path, "run"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = ReportCli.Run(["--energy", run,
            "--trace", TestWindows.TracePath, "--region", "DE", "--out", Path.Combine(_folder.Path, "out"), "--price", "0.3"], stdout, stderr);

        exit.Should().Be(0, stderr.ToString());
        var outFolder = Path.Combine(_folder.Path, "out");
        Directory.GetFiles(outFolder).Select(Path.GetFileName).Should().BeEquivalentTo(
            ReportFiles.Csv, ReportFiles.Json, ReportFiles.ModelCard, ReportFiles.Label, ReportFiles.Readme);
        File.ReadLines(Path.Combine(outFolder, ReportFiles.Csv)).First().Split(',').Should().Equal(CodeCarbonCsv.Columns);
        var report = JsonSerializer.Deserialize<EmissionsReport>(File.ReadAllText(Path.Combine(outFolder, ReportFiles.Json)), ReportFiles.JsonOptions)!;
        var windows = File.ReadLines(Path.Combine(run, EnergyFiles.WindowsFileName))
            .Select(l => JsonSerializer.Deserialize<EnergyWindow>(l, EnergyFiles.JsonOptions)!).ToList();
        report.EnergyKwh.Should().BeApproximately(windows.Where(w => w.Phase != EnergyPhase.Paused).Sum(w => w.Devices.Sum(d => d.Joules)) / 3.6e6, 1e-12);
        report.Intensity.Basis.Should().Be("series");
        report.ProjectName.Should().Be("digits");
        report.Cost.Should().NotBeNull();
        stdout.ToString().Should().Contain("wrote").And.Contain(ReportFiles.Label);
    }

    [Fact]
    public void The_report_verb_takes_the_embodied_lifetime_and_released_devices_and_report_json_lists_every_share()
    {
        var run = WriteRun(Path.Combine(_folder.Path, "run"));
        var outFolder = Path.Combine(_folder.Path, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = ReportCli.Run(["--energy", run, "--region", "DE", "--out", outFolder, "--embodied-lifetime", "3", "--released-while-paused"], stdout, stderr);

        exit.Should().Be(0, stderr.ToString());
        var report = JsonSerializer.Deserialize<EmissionsReport>(File.ReadAllText(Path.Combine(outFolder, ReportFiles.Json)), ReportFiles.JsonOptions)!;
        var embodied = report.Sci.Embodied!;
        embodied.LifetimeYears.Should().Be(3);
        embodied.PausedTimeCounted.Should().BeFalse();
        embodied.ReservedHours.Should().BeApproximately(report.ActiveSeconds / 3600, 1e-9);
        embodied.Shares.Select(s => s.Kind).Should().Contain(["cpu", "memory"]);
        report.Sci.EmbodiedGrams.Should().BeGreaterThan(0, "SCI's M is included by default, CPU-only runs too");
        stdout.ToString().Should().Contain("SCI's M").And.Contain("3-year lifetime").And.Contain("running time only");
    }

    [Fact]
    public void A_crash_cut_last_line_is_skipped_with_a_warning()
    {
        var run = WriteRun(Path.Combine(_folder.Path, "run"));
        File.AppendAllText(Path.Combine(run, EnergyFiles.WindowsFileName), "{\"experimentId\":\"digits\",\"runId\":");
        var stderr = new StringWriter();

        var exit = ReportCli.Run(["--energy", run, "--region", "DE", "--out", Path.Combine(_folder.Path, "out")], new StringWriter(), stderr);

        exit.Should().Be(0);
        stderr.ToString().Should().Contain("skipped an incomplete last window");
    }

    [Fact]
    public void Bad_usage_and_missing_files_fail_with_messages_that_name_them()
    {
        var stderr = new StringWriter();
        ReportCli.Run(["--energy", _folder.Path, "--out", _folder.Path, "--pue", "0.5"], new StringWriter(), stderr).Should().Be(2);
        stderr.ToString().Should().Contain("--pue must be a number from 1 to 3");

        stderr = new StringWriter();
        ReportCli.Run(["--energy", _folder.Path, "--region", "DE", "--out", _folder.Path], new StringWriter(), stderr).Should().Be(1);
        stderr.ToString().Should().Contain(EnergyFiles.WindowsFileName);

        stderr = new StringWriter();
        ReportCli.Run(["--out", _folder.Path], new StringWriter(), stderr).Should().Be(2);
        stderr.ToString().Should().Contain("error: Option '--energy' is required.");
    }

    /// <summary>A run as the Trainer will leave it: real CPU/RAM estimate sources of this machine, one (fake) GPU.</summary>
    private string WriteRun(string folder)
    {
        var nvml = new FakeNvmlBinding();
        var factory = new EnergyMeterFactory(new EnergyOptions { PowercapRoot = Path.Combine(_folder.Path, "no-rapl") }, () => nvml, _clock);
        using var writer = new EnergyWindowFileWriter(folder);
        using var meter = factory.CreateMeter("digits", "run-1", writer.Append);
        writer.WriteRunInfo(factory.DescribeRun("digits", "run-1", meter.Sources) with { ProjectName = "digits", TotalSteps = 40, StepsPerEpoch = 10 });
        meter.Open(EnergyPhase.Train, 0);
        meter.Flush();
        foreach (var (phase, step) in new[] { (EnergyPhase.Evaluate, 10L), (EnergyPhase.Train, 10L), (EnergyPhase.Paused, 20L), (EnergyPhase.Train, 20L) })
        {
            nvml.EnergyMillijoules[0] += 30_000_000;
            _clock.Advance(TimeSpan.FromMinutes(5));
            meter.Switch(phase, step);
            meter.Flush(); // each window's GPU energy exactly as added: the counter moves again right after
        }
        _clock.Advance(TimeSpan.FromMinutes(5));
        meter.Close(30);
        return folder;
    }

    public void Dispose() => _folder.Dispose();
}
