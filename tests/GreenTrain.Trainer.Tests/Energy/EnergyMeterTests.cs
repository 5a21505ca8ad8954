using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Nvml;
using GreenTrain.Trainer.Energy.Sinks;
using GreenTrain.Testing.Files;
using GreenTrain.Testing.Time;
using GreenTrain.Trainer.Tests.Energy.Support;

namespace GreenTrain.Trainer.Tests.Energy;

public sealed class EnergyMeterTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2020, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeNvmlBinding _nvml = new();

    [Fact]
    public void Switched_windows_cover_all_energy_with_no_gap()
    {
        var windows = new List<EnergyWindow>();
        using var meter = NewMeter(windows.Add);
        meter.Open(EnergyPhase.Train, 0);
        meter.Flush(); // the GPU's baseline is read in the background, like every boundary
        var step = 0;
        foreach (var (phase, millijoules) in new[] { (EnergyPhase.Evaluate, 100_000UL), (EnergyPhase.Checkpoint, 20_000UL), (EnergyPhase.Paused, 5_000UL) })
        {
            _nvml.EnergyMillijoules[0] += millijoules;
            _clock.Advance(TimeSpan.FromSeconds(1));
            meter.Switch(phase, ++step);
            meter.Flush(); // the GPU is read in the background: wait for it before the counter moves again
        }
        _nvml.EnergyMillijoules[0] += 1_000;
        meter.Close(4);

        windows.Select(w => w.Phase).Should().Equal(EnergyPhase.Train, EnergyPhase.Evaluate, EnergyPhase.Checkpoint, EnergyPhase.Paused);
        windows.Select(w => w.Sequence).Should().Equal(0, 1, 2, 3);
        windows.Zip(windows.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start && p.First.StepEnd == p.Second.StepStart);
        windows.Sum(w => w.Devices[0].Joules).Should().BeApproximately(126, 1e-9);
        windows[0].Devices[0].AveragePowerWatts.Should().BeApproximately(100, 1e-9);
        meter.IsOpen.Should().BeFalse();
    }

    [Fact]
    public void Closing_without_a_window_or_opening_twice_is_an_error()
    {
        using var meter = NewMeter(_ => { });
        meter.Invoking(m => m.Close(1)).Should().Throw<InvalidOperationException>().WithMessage("*Open*");
        meter.Open(EnergyPhase.Train, 0);
        meter.Invoking(m => m.Open(EnergyPhase.Train, 0)).Should().Throw<InvalidOperationException>().WithMessage("*already open*");
    }

    [Fact]
    public void Windows_written_to_the_run_folder_read_back_equal_with_lower_case_labels()
    {
        var windows = new List<EnergyWindow>();
        using (var writer = new EnergyWindowFileWriter(_folder.Path))
        using (var meter = NewMeter(w => { windows.Add(w); writer.Append(w); }))
        {
            meter.Open(EnergyPhase.Train, 0);
            meter.Flush();
            for (var i = 1; i <= 3; i++)
            {
                _nvml.EnergyMillijoules[0] += 2_000;
                _clock.Advance(TimeSpan.FromSeconds(2));
                meter.Switch(EnergyPhase.Train, i * 10);
                meter.Flush(); // else a boundary that comes before the previous one was read merges with it
            }
        }

        var lines = File.ReadAllLines(Path.Combine(_folder.Path, EnergyFiles.WindowsFileName));
        lines.Should().HaveCount(3);
        lines[0].Should().Contain("\"phase\":\"train\"").And.Contain("\"method\":\"counter\"").And.Contain("\"kind\":\"gpu\"");
        lines.Select(l => JsonSerializer.Deserialize<EnergyWindow>(l, EnergyFiles.JsonOptions)).Should().BeEquivalentTo(windows);
    }

    [Fact]
    public void Factory_prefers_counters_and_falls_back_to_labelled_estimates()
    {
        _folder.File("proc/stat", "cpu  10 0 0 10 0 0 0 0 0 0\n");
        _folder.File("proc/cpuinfo", "model name\t: AMD EPYC 7543 32-Core Processor\n");
        _folder.File("proc/meminfo", "MemTotal:       16777216 kB\n");
        var options = new EnergyOptions { ProcRoot = Path.Combine(_folder.Path, "proc"), PowercapRoot = Path.Combine(_folder.Path, "none") };
        var factory = new EnergyMeterFactory(options, () => new FakeNvmlBinding(), _clock);

        var sources = factory.CreateSources();

        sources.Select(s => (s.Device, s.Method)).Should().Equal(
            ("gpu:0", EnergyMethod.Counter), ("cpu", EnergyMethod.Estimate), ("memory", EnergyMethod.Estimate));
        factory.Notes.Should().Contain(n => n.Contains("TDP 225 W (table)"));
        factory.DescribeRun("e", "r", sources).Gpus.Should().Equal("NVIDIA H100 80GB HBM3");
    }

    private EnergyMeter NewMeter(Action<EnergyWindow> publish) =>
        new("exp", "run", [new NvmlGpuSource(_nvml, 0, TimeSpan.FromMilliseconds(100), _clock)], publish, _clock);

    public void Dispose() => _folder.Dispose();
}
