using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Backtest;

/// <summary>The back-test of the live policy: replanning at every cell through the Scheduler's planner.</summary>
public class ReplanBacktestTests
{
    private static readonly DateTimeOffset March = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static BacktestResult Run(string region, string forecast, params string[] extra)
    {
        var trace = ShippedTraces.ReadEmbedded(region).Slice(March, March.AddDays(28));
        var settings = BacktestSettings.Parse(["--trace", region, "--job-hours", "8", "--slack-hours", "24", "--arrivals", "hourly",
            "--pausable", "--replan", "--forecast", forecast, "--step-minutes", "60", .. extra]);
        return BacktestRunner.Run(settings, [trace]);
    }

    [Fact]
    public void Replanning_on_a_perfect_forecast_keeps_the_oracles_savings()
    {
        var result = Run("DE", "perfect");

        result.Replan.Should().BeTrue();
        result.DeadlineMisses.Should().Be(0);
        result.OracleSavingsPct.Should().BeGreaterThan(5);
        result.SavingsPct.Should().BeGreaterThanOrEqualTo(0.95 * result.OracleSavingsPct);
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("GB")]
    public void Replanning_on_the_builtin_forecast_saves_more_than_planning_once_on_persistence_and_misses_no_deadline(string region)
    {
        var builtin = Run(region, "builtin");
        var trace = ShippedTraces.ReadEmbedded(region).Slice(March, March.AddDays(28));
        var once = BacktestRunner.Run(BacktestSettings.Parse(["--trace", region, "--job-hours", "8", "--slack-hours", "24", "--arrivals", "hourly",
            "--pausable", "--forecast", "persistence", "--step-minutes", "60"]), [trace]);

        builtin.DeadlineMisses.Should().Be(0);
        builtin.ForecastMapePct.Should().ContainKey("24h");
        builtin.SavingsPct.Should().BeGreaterThan(once.SavingsPct);
    }

    [Fact]
    public void Pause_costs_are_charged_and_still_no_deadline_is_missed()
    {
        var free = Run("GB", "perfect");
        var costly = Run("GB", "perfect", "--pause-kwh", "0.5");

        costly.DeadlineMisses.Should().Be(0);
        costly.RunNowGrams.Should().Be(free.RunNowGrams);
        costly.PlannedGrams.Should().BeGreaterThan(free.PlannedGrams, "each resume pays half a kWh at the intensity then");
    }

    [Fact]
    public void The_builtin_forecast_without_replanning_is_refused_with_the_reason()
    {
        var act = () => BacktestSettings.Parse(["--trace", "de", "--forecast", "builtin"]);

        act.Should().Throw<BacktestUsageException>().WithMessage("*--replan*");
    }
}
