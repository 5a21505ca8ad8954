using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Tests.Support;

namespace GreenTrain.Telemetry.Tests.Accounting;

public sealed class EmissionsAccountantTests
{
    private static readonly IntensitySeries Germany = TraceReader.ReadFile(TestWindows.TracePath, "DE");
    private static readonly AccountingSettings Settings = new("DE", Pue: 1.1, AverageIntensity: 475, "test average");
    private static readonly DateTimeOffset Noon = new(2020, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Emissions_are_energy_times_the_regions_intensity_at_that_time_times_pue()
    {
        var window = TestWindows.Make(Noon, TimeSpan.FromMinutes(10), EnergyPhase.Train, 0, 100, gpuJoules: 3_600_000);

        var result = EmissionsAccountant.Account([window], Germany, Settings);

        result.EnergyKwh.Should().BeApproximately(1, 1e-12);
        result.EmissionsGrams.Should().BeApproximately(1 * 1.1 * TestWindows.TraceValue("2020-06-01 12:00:00"), 1e-9);
        result.Windows.Single().Basis.Should().Be(IntensityBasis.Series);
        result.SeriesSource.Should().Be("de_2020.csv");
    }

    [Fact]
    public void A_window_across_two_trace_points_pays_each_for_its_share_of_time()
    {
        var window = TestWindows.Make(Noon.AddMinutes(10), TimeSpan.FromMinutes(10), EnergyPhase.Train, 0, 100, gpuJoules: 3_600_000);

        var priced = EmissionsAccountant.Account([window], Germany, Settings).Windows.Single();

        var expected = (TestWindows.TraceValue("2020-06-01 12:00:00") * 5 + TestWindows.TraceValue("2020-06-01 12:15:00") * 5) / 10;
        priced.IntensityGramsPerKwh.Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void A_paused_jobs_idle_devices_are_not_billed()
    {
        var train = TestWindows.Make(Noon, TimeSpan.FromHours(1), EnergyPhase.Train, 0, 100, gpuJoules: 1_800_000, sequence: 0);
        var paused = TestWindows.Make(Noon.AddHours(1), TimeSpan.FromHours(5), EnergyPhase.Paused, 100, 100, gpuJoules: 1_260_000, sequence: 1);

        var result = EmissionsAccountant.Account([train, paused], Germany, Settings);
        var trainOnly = EmissionsAccountant.Account([train], Germany, Settings);

        result.EmissionsGrams.Should().Be(trainOnly.EmissionsGrams);
        result.EnergyKwh.Should().BeApproximately(0.5, 1e-12);
        result.UnbilledPausedKwh.Should().BeApproximately(0.35, 1e-12);
        result.ActiveSeconds.Should().Be(3600);
        result.ByPhase.Select(p => p.Key).Should().Equal("train");
    }

    [Fact]
    public void Without_a_series_one_average_is_used_and_marked()
    {
        var window = TestWindows.Make(Noon, TimeSpan.FromMinutes(10), EnergyPhase.Train, 0, 10, gpuJoules: 360_000);

        var result = EmissionsAccountant.Account([window], series: null, Settings);

        result.EmissionsGrams.Should().BeApproximately(0.1 * 1.1 * 475, 1e-9);
        result.WindowsOnAverage.Should().Be(1);
        result.SeriesSource.Should().BeNull();
    }

    [Fact]
    public void A_window_outside_the_trace_falls_back_to_the_trace_mean_and_is_counted()
    {
        var window = TestWindows.Make(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(10), EnergyPhase.Train, 0, 10, gpuJoules: 360_000);

        var result = EmissionsAccountant.Account([window], Germany, Settings);

        result.WindowsOnAverage.Should().Be(1);
        result.Windows.Single().IntensityGramsPerKwh.Should().BeApproximately(Germany.Mean, 1e-9);
    }

    [Fact]
    public void Subtotals_by_phase_device_kind_and_method_add_up_to_the_total()
    {
        var windows = new[]
        {
            TestWindows.Make(Noon, TimeSpan.FromMinutes(30), EnergyPhase.Train, 0, 100, 900_000, 200_000, 30_000, 0),
            TestWindows.Make(Noon.AddMinutes(30), TimeSpan.FromMinutes(5), EnergyPhase.Evaluate, 100, 100, 100_000, 20_000, 5_000, 1),
            TestWindows.Make(Noon.AddMinutes(35), TimeSpan.FromMinutes(1), EnergyPhase.Checkpoint, 100, 100, 10_000, 5_000, 1_000, 2),
        };

        var result = EmissionsAccountant.Account(windows, Germany, Settings);

        foreach (var subtotals in new[] { result.ByPhase, result.ByDevice, result.ByKind, result.ByMethod })
        {
            subtotals.Sum(s => s.EnergyKwh).Should().BeApproximately(result.EnergyKwh, 1e-12);
            subtotals.Sum(s => s.EmissionsGrams).Should().BeApproximately(result.EmissionsGrams, 1e-9);
        }
        result.ByPhase.Select(p => p.Key).Should().BeEquivalentTo("train", "evaluate", "checkpoint");
        result.ByMethod.Select(p => p.Key).Should().BeEquivalentTo("counter", "estimate");
        result.GpuHours.Should().BeApproximately(36.0 / 60, 1e-12);
    }
}
