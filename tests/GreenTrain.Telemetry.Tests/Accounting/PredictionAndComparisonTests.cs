using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Tests.Support;

namespace GreenTrain.Telemetry.Tests.Accounting;

public sealed class PredictionAndComparisonTests
{
    private static readonly IntensitySeries Germany = TraceReader.ReadFile(TestWindows.TracePath, "DE");
    private static readonly AccountingSettings Settings = new("DE", 1.0, 475, "test average");
    private static readonly DateTimeOffset Start = new(2020, 6, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Prediction_waits_for_the_first_epoch_then_extrapolates_linearly()
    {
        var run = new EnergyRunInfo("exp-1", "run-1", TotalSteps: 1000, StepsPerEpoch: 100);
        var half = TestWindows.Make(Start, TimeSpan.FromMinutes(1), EnergyPhase.Train, 0, 50, gpuJoules: 36_000, sequence: 0);
        var epoch = TestWindows.Make(Start.AddMinutes(1), TimeSpan.FromMinutes(1), EnergyPhase.Train, 50, 100, gpuJoules: 36_000, sequence: 1);

        EnergyPredictor.Predict(EmissionsAccountant.Account([half], Germany, Settings), run).Should().BeNull();
        var prediction = EnergyPredictor.Predict(EmissionsAccountant.Account([half, epoch], Germany, Settings), run)!;

        prediction.EnergyKwh.Should().BeApproximately(0.02 * 10, 1e-12);
        prediction.DurationSeconds.Should().BeApproximately(120 * 10, 1e-9);
        prediction.RemainingEnergyKwh.Should().BeApproximately(0.18, 1e-12);
        prediction.RemainingSeconds.Should().BeApproximately(1080, 1e-9);
        prediction.Basis.Should().Contain("first epoch");
    }

    [Fact]
    public void Without_an_epoch_length_prediction_waits_for_the_configured_share()
    {
        var run = new EnergyRunInfo("exp-1", "run-1", TotalSteps: 1000);
        var window = TestWindows.Make(Start, TimeSpan.FromMinutes(1), EnergyPhase.Train, 0, 99, gpuJoules: 1000);

        EnergyPredictor.Predict(EmissionsAccountant.Account([window], Germany, Settings), run, 0.1).Should().BeNull();
        EnergyPredictor.Predict(EmissionsAccountant.Account([window], Germany, Settings), run, 0.05).Should().NotBeNull();
        EnergyPredictor.Predict(EmissionsAccountant.Account([window], Germany, Settings), run: null).Should().BeNull();
    }

    [Fact]
    public void Run_at_once_moves_the_work_after_a_pause_back_to_the_start()
    {
        var first = TestWindows.Make(Start, TimeSpan.FromHours(1), EnergyPhase.Train, 0, 100, gpuJoules: 3_600_000, sequence: 0);
        var pause = TestWindows.Make(Start.AddHours(1), TimeSpan.FromHours(6), EnergyPhase.Paused, 100, 100, gpuJoules: 100_000, sequence: 1);
        var second = TestWindows.Make(Start.AddHours(7), TimeSpan.FromHours(1), EnergyPhase.Train, 100, 200, gpuJoules: 3_600_000, sequence: 2);
        var actual = EmissionsAccountant.Account([first, pause, second], Germany, Settings);

        var atOnce = RunAtOnceComparison.EmissionsGrams(actual, Germany);

        var expected = Germany.MeanOver(Start, Start.AddHours(1))!.Value + Germany.MeanOver(Start.AddHours(1), Start.AddHours(2))!.Value;
        atOnce.Should().BeApproximately(expected, 1e-9);
        actual.EmissionsGrams.Should().BeApproximately(
            Germany.MeanOver(Start, Start.AddHours(1))!.Value + Germany.MeanOver(Start.AddHours(7), Start.AddHours(8))!.Value, 1e-9);
        RunAtOnceComparison.EmissionsGrams(actual, series: null).Should().BeNull();
    }
}
