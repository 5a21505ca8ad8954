using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Providers;
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
    public void Deciding_under_the_forecasts_past_errors_misses_no_deadline_and_says_how_it_decided()
    {
        var result = Run("GB", "builtin", "--scenarios", "days=7,share=0.5");

        result.DeadlineMisses.Should().Be(0);
        result.Scenarios.Should().Be("days=7,rule=vote,share=0.5,analogs=0,scale=1");
        result.SavingsPct.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Scenarios_without_replanning_or_with_an_unknown_key_are_refused_with_the_reason()
    {
        var once = () => BacktestSettings.Parse(["--trace", "de", "--scenarios", "days=14"]);
        var unknown = () => BacktestSettings.Parse(["--trace", "de", "--replan", "--forecast", "builtin", "--scenarios", "dayz=14"]);

        once.Should().Throw<BacktestUsageException>().WithMessage("*--replan*");
        unknown.Should().Throw<BacktestUsageException>().WithMessage("*unknown key 'dayz'*");
    }

    [Fact]
    public void The_builtin_forecast_without_replanning_is_refused_with_the_reason()
    {
        var act = () => BacktestSettings.Parse(["--trace", "de", "--forecast", "builtin"]);

        act.Should().Throw<BacktestUsageException>().WithMessage("*--replan*");
    }

    [Fact]
    public void A_backtest_job_reaches_the_Schedulers_planning_as_the_record_of_a_running_then_paused_experiment()
    {
        var step = TimeSpan.FromHours(1);
        var job = new SimulatedJob(7, March, TimeSpan.FromHours(8), March.AddHours(32));
        var state = new SimulatedExperiment(job, 8, step, ["DE"], pausable: true);
        state.At(0).State.Should().Be(ExperimentState.Queued);

        state.Ran(0, "DE", 1);
        state.Ran(1, "DE", 1);
        state.Ran(2, "DE", 1);

        var running = state.At(3);
        running.State.Should().Be(ExperimentState.Running);
        running.Region.Should().Be("DE");
        running.RemainingHours.Should().BeApproximately(5, 1e-9);
        running.RemainingKWh.Should().BeApproximately(5, 1e-9);
        state.At(5).State.Should().Be(ExperimentState.Paused, "it last ran two cells before");

        // The live planner plans what is left, five hours, before the deadline.
        var trace = ShippedTraces.ReadEmbedded("DE").Slice(March, March.AddDays(3));
        var plan = PlanningService.Plan([running], [trace], March.AddHours(3), new SchedulerOptions { Policy = PlanningPolicy.Interruptible, StepMinutes = 60 },
            new CarbonOptions { Regions = ["DE"], Replay = new TraceReplayOptions { SpeedUp = 1 } }).Single();
        plan.MeetsDeadline.Should().BeTrue();
        plan.Intervals.Sum(i => (i.End - i.Start).TotalHours).Should().BeApproximately(5, 1e-9);
        plan.Intervals[^1].End.Should().BeOnOrBefore(job.Deadline);
    }
}
