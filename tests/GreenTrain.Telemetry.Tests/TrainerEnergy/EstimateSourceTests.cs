using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Trainer.Energy.Estimates;

namespace GreenTrain.Telemetry.Tests.TrainerEnergy;

public sealed class EstimateSourceTests : IDisposable
{
    private readonly TempFolder _proc = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void Cpu_estimate_is_tdp_times_utilisation_times_time()
    {
        // user nice system idle iowait irq softirq steal: 600 busy and 400 idle ticks in the interval = 60 %.
        var stat = _proc.File("stat", "cpu  1000 0 0 5000 0 0 0 0 0 0\ncpu0 500 0 0 2500 0 0 0 0 0 0\n");
        using var cpu = new CpuEstimateSource(stat, tdpWatts: 120, model: "test", _clock);
        _proc.File("stat", "cpu  1500 0 50 5300 100 25 25 0 0 0\n");
        _clock.Advance(TimeSpan.FromSeconds(10));

        var reading = cpu.Read();

        cpu.Method.Should().Be(EnergyMethod.Estimate);
        reading.UtilizationPercent.Should().BeApproximately(60, 1e-9);
        reading.TotalJoules.Should().BeApproximately(120 * 0.6 * 10, 1e-9);
    }

    [Fact]
    public void Ram_estimate_follows_codecarbons_three_watts_per_eight_gb()
    {
        using var ram = new MemoryEstimateSource(totalGb: 32, MemoryEstimateSource.CodeCarbonWattsPerGb, _clock);
        _clock.Advance(TimeSpan.FromMinutes(1));

        ram.Watts.Should().Be(12);
        ram.Read().TotalJoules.Should().BeApproximately(12 * 60, 1e-9);
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
