using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Estimates;
using Microsoft.Extensions.Time.Testing;
using GreenTrain.Testing.Files;
using GreenTrain.Testing.Time;

namespace GreenTrain.Trainer.Tests.Energy.Estimates;

public sealed class EstimateSourceTests : IDisposable
{
    private readonly ScratchFolder _proc = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void Cpu_estimate_is_tdp_times_utilisation_times_time_from_background_samples_of_proc_stat()
    {
        var clock = new FakeTimeProvider();
        long busy = 1000, idle = 5000;
        var stat = _proc.File("stat", Stat(busy, idle));
        using var cpu = new CpuEstimateSource(stat, tdpWatts: 120, model: "test", clock, TimeSpan.FromSeconds(1));
        var start = cpu.Read();
        for (var second = 0; second < 10; second++)
        {
            // Each second the machine runs 60 busy and 40 idle ticks (60 %); the sampler's timer reads them.
            (busy, idle) = (busy + 60, idle + 40);
            _proc.File("stat", Stat(busy, idle));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        _proc.File("stat", "not a stat file"); // a boundary must not read /proc/stat: it runs on the training thread

        var reading = cpu.Read();

        cpu.Method.Should().Be(EnergyMethod.Estimate);
        (reading.TotalJoules - start.TotalJoules).Should().BeApproximately(120 * 0.6 * 10, 1e-9);
        reading.UtilizationPercent.Should().BeApproximately(60, 1e-9);
    }

    [Fact]
    public void Between_samples_the_cpu_estimate_extrapolates_and_never_runs_backwards()
    {
        var clock = new FakeTimeProvider();
        long busy = 1000, idle = 1000;
        var stat = _proc.File("stat", Stat(busy, idle));
        using var cpu = new CpuEstimateSource(stat, tdpWatts: 100, model: "test", clock, TimeSpan.FromSeconds(1));
        (busy, idle) = (busy + 80, idle + 20);
        _proc.File("stat", Stat(busy, idle));
        clock.Advance(TimeSpan.FromSeconds(1)); // sample: 80 % for 1 s = 80 J

        clock.Advance(TimeSpan.FromMilliseconds(500));
        var between = cpu.Read().TotalJoules; // 80 J + half a second at the last 80 %
        idle += 100;
        _proc.File("stat", Stat(busy, idle));
        clock.Advance(TimeSpan.FromMilliseconds(500)); // sample: the machine was idle, 80 J in all so far
        var after = cpu.Read().TotalJoules;
        _proc.File("stat", "garbage");
        clock.Advance(TimeSpan.FromSeconds(1)); // a sample that cannot be read is skipped, the sampler goes on

        between.Should().BeApproximately(80 + 100 * 0.8 * 0.5, 1e-9);
        after.Should().Be(between, "a reading is never below an earlier one; the overshoot is at most one period's worth");
        cpu.Read().TotalJoules.Should().BeGreaterThanOrEqualTo(after);
    }

    private static string Stat(long busy, long idle) => $"cpu  {busy} 0 0 {idle} 0 0 0 0 0 0\ncpu0 {busy} 0 0 {idle} 0 0 0 0 0 0\n";

    [Fact]
    public void Ram_estimate_follows_codecarbons_three_watts_per_eight_gb()
    {
        using var ram = new MemoryEstimateSource(totalGb: 32, MemoryEstimateSource.CodeCarbonWattsPerGb, _clock);
        _clock.Advance(TimeSpan.FromMinutes(1));

        ram.Watts.Should().Be(12);
        ram.Read().TotalJoules.Should().BeApproximately(12 * 60, 1e-9);
    }

    [Fact]
    public void Ram_readings_carry_the_memory_in_use_as_psutil_counts_it()
    {
        var meminfo = _proc.File("meminfo", "MemTotal:       32768000 kB\nMemFree:         1000 kB\nMemAvailable:   24576000 kB\n");
        using var ram = new MemoryEstimateSource(totalGb: 31.25, MemoryEstimateSource.CodeCarbonWattsPerGb, _clock, meminfo);

        ram.Read().MemoryUsedBytes.Should().Be((32768000L - 24576000L) * 1024, "MemTotal - MemAvailable, psutil's percent");
    }

    [Theory]
    [InlineData("AMD EPYC 7543 32-Core Processor", null, 225, "table")]
    [InlineData("Some Future CPU", null, CpuTdpTable.DefaultWatts, "default")]
    [InlineData("AMD EPYC 7543 32-Core Processor", 180.0, 180, "configured")]
    public void Cpu_tdp_comes_from_configuration_then_table_then_default(string model, double? configured, double watts, string source)
    {
        CpuTdpTable.Lookup(model, configured).Should().Be((watts, source));
    }

    [Fact]
    public void Host_info_reads_model_and_memory_from_proc()
    {
        _proc.File("cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7543 32-Core Processor\n");
        _proc.File("meminfo", "MemTotal:       32768000 kB\nMemFree:         1000 kB\n");

        var host = HostInfo.Read(_proc.Path);

        host.CpuModel.Should().Be("AMD EPYC 7543 32-Core Processor");
        host.RamTotalGb.Should().BeApproximately(32768000.0 / (1024 * 1024), 1e-9);
    }

    public void Dispose() => _proc.Dispose();
}
