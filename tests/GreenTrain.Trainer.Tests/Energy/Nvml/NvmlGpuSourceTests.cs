using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Nvml;
using Microsoft.Extensions.Time.Testing;
using GreenTrain.Testing.Time;
using GreenTrain.Trainer.Tests.Energy.Support;

namespace GreenTrain.Trainer.Tests.Energy.Nvml;

public sealed class NvmlGpuSourceTests
{
    [Fact]
    public void Window_energy_is_the_counter_difference_in_joules()
    {
        var nvml = new FakeNvmlBinding(devices: 2);
        var windows = new List<EnergyWindow>();
        using var meter = new EnergyMeter("exp", "run",
            [new NvmlGpuSource(nvml, 0, TimeSpan.FromMilliseconds(100)), new NvmlGpuSource(nvml, 1, TimeSpan.FromMilliseconds(100))], windows.Add);

        meter.Open(EnergyPhase.Train, 0);
        meter.Flush(); // the baseline is read in the background: it must not see the energy below
        nvml.EnergyMillijoules[0] += 12_345_678; // 12 345.678 J
        nvml.EnergyMillijoules[1] += 500;
        meter.Close(10);
        var window = windows.Should().ContainSingle().Subject;

        window.Devices.Should().HaveCount(2);
        window.Devices[0].Should().BeEquivalentTo(new { Device = "gpu:0", Kind = DeviceKind.Gpu, Method = EnergyMethod.Counter });
        window.Devices[0].Joules.Should().BeApproximately(12_345.678, 1e-9);
        window.Devices[1].Joules.Should().BeApproximately(0.5, 1e-12);
        window.Devices[0].UtilizationPercent.Should().Be(97);
        window.Devices[0].MemoryUsedBytes.Should().Be(20L << 30);
    }

    [Fact]
    public void A_window_boundary_reads_only_the_energy_counter_and_takes_utilisation_from_background_samples()
    {
        var clock = new FakeTimeProvider();
        var nvml = new FakeNvmlBinding();
        var windows = new List<EnergyWindow>();
        using var meter = new EnergyMeter("exp", "run",
            [new NvmlGpuSource(nvml, 0, TimeSpan.FromMilliseconds(100), clock, TimeSpan.FromMilliseconds(500))], windows.Add, clock);
        meter.Open(EnergyPhase.Train, 0);
        meter.Flush();
        foreach (var percent in new uint[] { 40, 80 })
        {
            nvml.UtilizationPercent = percent;
            clock.Advance(TimeSpan.FromMilliseconds(500)); // the status sampler's timer: utilisation and memory
        }
        nvml.EnergyMillijoules[0] += 30_000;
        var before = new Dictionary<string, int>(nvml.Calls);

        meter.Close(10);
        var window = windows.Should().ContainSingle().Subject;

        nvml.Calls.Where(c => c.Value != before.GetValueOrDefault(c.Key)).Select(c => (c.Key, c.Value - before.GetValueOrDefault(c.Key)))
            .Should().Equal([("nvmlDeviceGetTotalEnergyConsumption", 1)], "a boundary reads the counter and nothing else (on the GPU's reader)");
        window.Devices[0].Joules.Should().BeApproximately(30, 1e-9);
        window.Devices[0].UtilizationPercent.Should().BeApproximately(60, 1e-9, "the mean of the window's samples");
        window.Devices[0].MemoryUsedBytes.Should().Be(20L << 30);
    }

    [Fact]
    public void Gpu_without_energy_counter_integrates_power_and_says_so()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var nvml = new FakeNvmlBinding(hasEnergyCounter: false);
        using var gpu = new NvmlGpuSource(nvml, 0, TimeSpan.FromMilliseconds(100), clock);
        gpu.Method.Should().Be(EnergyMethod.Integrated);

        var before = gpu.Read().TotalJoules;
        nvml.PowerMilliwatts[0] = 300_000; // 70 W -> 300 W over 2 s: trapezoid gives (70 + 300) / 2 * 2 = 370 J
        clock.Advance(TimeSpan.FromSeconds(2));
        var after = gpu.Read().TotalJoules;

        (after - before).Should().BeApproximately(370, 1e-9);
    }

    [Fact]
    public void A_failed_background_power_read_is_skipped_and_the_next_sample_integrates_across_the_gap()
    {
        var clock = new FakeTimeProvider();
        var nvml = new FakeNvmlBinding(hasEnergyCounter: false);
        using var gpu = new NvmlGpuSource(nvml, 0, TimeSpan.FromMilliseconds(100), clock, TimeSpan.FromSeconds(10));
        var before = gpu.Read().TotalJoules;

        nvml.FailPowerReads = true;
        clock.Advance(TimeSpan.FromMilliseconds(300)); // three timer ticks fail; the process must go on
        nvml.FailPowerReads = false;
        clock.Advance(TimeSpan.FromMilliseconds(100));

        (gpu.Read().TotalJoules - before).Should().BeApproximately(70 * 0.4, 1e-9, "70 W held over the 0.4 s, the failed ticks included");
    }

    [Fact]
    public void Power_sampling_slower_than_10_Hz_is_refused()
    {
        var act = () => new PowerSampler(() => 1, TimeSpan.FromMilliseconds(250));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*10 Hz*");
    }
}
