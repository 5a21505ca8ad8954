using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Reports.Embodied;
using GreenTrain.Telemetry.Tests.Support;

namespace GreenTrain.Telemetry.Tests.Reports;

/// <summary>SCI's M "shall be included": every run carries its devices' embodied share by default, and says what it assumed.</summary>
public sealed class EmbodiedEmissionsTests
{
    private const double LifetimeHours = 6 * 365.25 * 24;
    private static readonly double SpanHours = 3 + 10.0 / 60;   // the fixture: 1 h train, 2 h paused, 10 min evaluate
    private static readonly double RunningHours = 70.0 / 60;

    private static EmissionsReport Report(IReadOnlyList<EnergyWindow> windows, EnergyRunInfo run, ReportSettings settings) =>
        ReportBuilder.Build(windows, run, ReportFixtures.Germany, ReportFixtures.Accounting(), settings);

    [Fact]
    public void An_h200_run_carries_gpu_cpu_and_memory_shares_over_its_reserved_time_paused_included()
    {
        var run = ReportFixtures.Run with { Gpus = ["NVIDIA H200"], RamTotalGb = 64 };
        var report = Report(ReportFixtures.Windows(), run, new ReportSettings("configured"));

        var embodied = report.Sci.Embodied!;
        embodied.ReservedHours.Should().BeApproximately(SpanHours, 1e-9);
        var gpu = embodied.Shares.Single(s => s.Kind == "gpu");
        gpu.Grams.Should().BeApproximately(150_000 * SpanHours / LifetimeHours, 1e-9);
        gpu.Basis.Should().Contain("BLOOM");
        // Boavizta's CPU archetype: (24 x 0.245 + 0.491) cm2 x 1.97 kg/cm2 + 9.14 kg; its RAM: 2.20 kg/cm2 at 0.625 GB/cm2 + 5.22 kg per 32 GB.
        embodied.Shares.Single(s => s.Kind == "cpu").TotalKilograms.Should().BeApproximately(21.69, 0.01);
        embodied.Shares.Single(s => s.Kind == "memory").TotalKilograms.Should().BeApproximately(64 * (51.2 * 2.20 + 5.22) / 32, 1e-9);
        report.Sci.EmbodiedGrams.Should().BeApproximately(embodied.Shares.Sum(s => s.Grams), 1e-9);
        report.Sci.GramsPerRun.Should().BeApproximately(report.EmissionsGrams + report.Sci.EmbodiedGrams, 1e-9);
        report.Notes.Should().Contain(n => n.StartsWith("SCI's M") && n.Contains("NVIDIA H200") && n.Contains("paused time counted")
            && n.Contains("6-year lifetime") && n.Contains("Boavizta"));
    }

    [Fact]
    public void Devices_released_while_paused_carry_only_the_running_time()
    {
        var run = ReportFixtures.Run with { Gpus = ["NVIDIA H200"] };
        var reserved = Report(ReportFixtures.Windows(), run, new ReportSettings("configured"));
        var released = Report(ReportFixtures.Windows(), run, new ReportSettings("configured", ReservedWhilePaused: false));

        released.Sci.Embodied!.ReservedHours.Should().BeApproximately(RunningHours, 1e-9);
        released.Sci.EmbodiedGrams.Should().BeApproximately(reserved.Sci.EmbodiedGrams * RunningHours / SpanHours, 1e-9);
        released.Notes.Should().Contain(n => n.Contains("running time only"));
    }

    [Fact]
    public void A_cpu_only_run_still_carries_its_cpu_packages_and_memory()
    {
        var start = ReportFixtures.Start;
        IReadOnlyList<EnergyWindow> windows =
        [
            new("exp-1", "run-1", 0, start, start.AddHours(2), EnergyPhase.Train, 0, 100,
            [
                new DeviceEnergy("cpu:package-0", DeviceKind.Cpu, EnergyMethod.Estimate, 360_000, 50),
                new DeviceEnergy("cpu:package-1", DeviceKind.Cpu, EnergyMethod.Estimate, 360_000, 50),
                new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, 36_000, 5),
            ]),
        ];
        var report = Report(windows, ReportFixtures.Run with { Gpus = [], RamTotalGb = null }, new ReportSettings("configured"));

        var shares = report.Sci.Embodied!.Shares;
        shares.Select(s => s.Kind).Should().Equal("cpu", "memory");
        shares[0].Devices.Should().StartWith("2 x AMD EPYC");
        shares[1].Devices.Should().Contain("size unknown");
        report.Sci.EmbodiedGrams.Should().BeApproximately((2 * 21.69 + 32 * 3.6828) * 1000 * 2 / LifetimeHours, 0.01);
    }

    [Theory]
    [InlineData("NVIDIA A100-SXM4-80GB", 150)]
    [InlineData("NVIDIA H100 80GB HBM3", 150)]
    [InlineData("Tesla T4", 150 * 545.0 / 826)]
    [InlineData("NVIDIA A10G", 150 * 628.0 / 826)]
    [InlineData("NVIDIA L40S", 150)]
    [InlineData(null, 150)]
    public void Gpu_models_map_to_their_factor(string? model, double kilograms) =>
        EmbodiedFactors.Gpu(model).Kilograms.Should().BeApproximately(kilograms, 1e-9);

    [Fact]
    public void A_configured_figure_per_gpu_hour_replaces_the_gpu_default_over_the_reserved_time()
    {
        var report = ReportFixtures.Report();

        var gpu = report.Sci.Embodied!.Shares.Single(s => s.Kind == "gpu");
        gpu.Grams.Should().BeApproximately(25 * SpanHours, 1e-9);
        gpu.Basis.Should().Be("configured 25 g per GPU-hour");
    }
}
