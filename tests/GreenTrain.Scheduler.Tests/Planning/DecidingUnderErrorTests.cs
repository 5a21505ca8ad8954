using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using static GreenTrain.Scheduler.Tests.Planning.PlanningFixtures;

namespace GreenTrain.Scheduler.Tests.Planning;

/// <summary>The Scheduler's planning deciding a job's current cell under the forecast's past errors rather than on the point forecast.</summary>
public class DecidingUnderErrorTests
{
    private static readonly SchedulerOptions Interruptible = new() { Policy = PlanningPolicy.Interruptible, StepMinutes = 60 };
    private static readonly CarbonOptions Carbon = new() { Regions = ["A"], HorizonHours = 12, Replay = new TraceReplayOptions { SpeedUp = 1 } };

    /// <summary>A queued pausable experiment of <paramref name="hours"/> hours (1 kW) due <paramref name="deadlineHours"/> after T0.</summary>
    private static ExperimentRecord Queued(double hours, double deadlineHours) => new()
    {
        Id = "job",
        Spec = new ExperimentSpec { Carbon = new CarbonSpec { Deadline = T0.AddHours(deadlineHours), AllowedRegions = ["A"], Pausable = true } },
        SubmittedAt = T0,
        EstimatedHours = hours,
        EstimatedKWh = hours,
    };

    /// <summary>Region A's forecast from T0 on an hourly grid: [0] is the observed hour, the rest the forecast.</summary>
    private static IntensitySeries Forecast(params double[] values) => new("A",
        values.Select((v, h) => new IntensityInterval(T0.AddHours(h), T0.AddHours(h + 1), v, IntensitySignal.Average, "forecast", "A")).ToList());

    /// <summary>Scenarios in which the forecast of hours 1..n ahead is off by the same relative error, as some past forecasts were.</summary>
    private static ForecastScenarios OffBy(double error, int hours, int scenarios = 3) => new(new Dictionary<string, double[][]>
    {
        ["A"] = Enumerable.Range(0, scenarios).Select(_ => Enumerable.Range(0, 13).Select(h => h is > 0 and var x && x <= hours ? error : 0.0).ToArray()).ToArray(),
    });

    private static readonly double[] DipAhead = [100, 95, 95, 95, 200, 200, 200, 200, 200, 200, 200, 200, 200];

    [Fact]
    public void A_job_runs_now_when_the_past_errors_say_the_forecast_dip_ahead_is_really_dearer_than_now()
    {
        var onPoint = PlanningService.Plan([Queued(2, 6)], [Forecast(DipAhead)], T0, Interruptible, Carbon).Single();
        var underError = PlanningService.Plan([Queued(2, 6)], [Forecast(DipAhead)], T0, Interruptible, Carbon, OffBy(+0.2, 3)).Single();

        onPoint.Start.Should().BeAfter(T0, "on the point forecast hours 1-3 (95) are cheaper than now (100)");
        underError.Start.Should().Be(T0, "forecasts like this one were 20% low a few hours ahead, so the dip is really 114");
        underError.MeetsDeadline.Should().BeTrue();
        underError.Intervals.Sum(i => (i.End - i.Start).TotalHours).Should().BeApproximately(2, 1e-9);
        underError.Reason.Should().Contain("scenarios");
    }

    [Fact]
    public void A_job_waits_when_the_past_errors_say_the_hours_ahead_are_really_cheaper_than_now()
    {
        double[] flatAhead = [100, 105, 105, 105, 200, 200, 200, 200, 200, 200, 200, 200, 200];
        var onPoint = PlanningService.Plan([Queued(2, 6)], [Forecast(flatAhead)], T0, Interruptible, Carbon).Single();
        var underError = PlanningService.Plan([Queued(2, 6)], [Forecast(flatAhead)], T0, Interruptible, Carbon, OffBy(-0.2, 3)).Single();

        onPoint.Start.Should().Be(T0);
        underError.Start.Should().BeAfter(T0, "forecasts like this one were 20% high a few hours ahead, so hours 1-3 are really 84");
        underError.MeetsDeadline.Should().BeTrue();
    }

    [Fact]
    public void A_job_with_no_slack_left_runs_now_whatever_the_scenarios_say()
    {
        var plan = PlanningService.Plan([Queued(3, 3)], [Forecast(DipAhead)], T0, Interruptible, Carbon, OffBy(-0.5, 12)).Single();

        plan.Start.Should().Be(T0);
        plan.End.Should().Be(T0.AddHours(3));
        plan.MeetsDeadline.Should().BeTrue();
    }

    [Fact]
    public void The_error_record_gives_the_whole_error_trajectory_of_the_forecast_issued_at_this_time_of_day_on_past_days()
    {
        // 4 cells a day, forecasts 4 cells ahead: a day's forecast is observed to its end one day later.
        var record = new ForecastErrorRecord(cellsPerDay: 4, horizon: 4, days: 2);
        var actuals = Enumerable.Range(0, 13).Select(c => 100.0 + c).ToArray();
        for (var c = 0; c < actuals.Length; c++)
        {
            record.Add(actuals[c], [actuals[c], 100, 100, 100, 100]); // always forecasts 100 ahead
        }

        var trajectories = record.Trajectories(); // now is cell 12: forecasts issued at cells 8 and 4

        trajectories.Should().HaveCount(2);
        trajectories[0].Select(e => Math.Round(e, 10)).Should().Equal(0, 0.09, 0.10, 0.11, 0.12); // cells 9..12 were 109..112 against 100
        trajectories[1].Select(e => Math.Round(e, 10)).Should().Equal(0, 0.05, 0.06, 0.07, 0.08);
    }
}
