using GreenTrain.Scheduler.Planning;
using static GreenTrain.Scheduler.Tests.Planning.PlanningFixtures;

namespace GreenTrain.Scheduler.Tests.Planning;

/// <summary>The planner deciding a job's current cell by the online pause-and-resume thresholds (Lechowicz et al. 2023).</summary>
public class OnlineThresholdTests
{
    private static OnlineThreshold Rule(double min, double max, ThresholdRule rule = ThresholdRule.Threshold) =>
        new(rule, new Dictionary<string, RecentIntensity> { ["A"] = new(min, max, (min + max) / 2) });

    private static JobPlan PlanNow(double[] values, double hours, double deadlineHours, OnlineThreshold threshold) =>
        CarbonPlanner.Plan(Grid(("A", values)), T0, [Job("job", hours, deadlineHours)], PlanningPolicy.Interruptible, threshold: threshold).Single();

    [Fact]
    public void The_thresholds_fall_from_the_upper_bound_over_the_ratio_towards_the_lower_bound()
    {
        var a = PauseResumeThresholds.Ratio(4, 300 / 50.0);
        var thresholds = Enumerable.Range(1, 4).Select(i => PauseResumeThresholds.For(i, 4, 50, 300)).ToArray();

        a.Should().BeGreaterThan(1).And.BeLessThan(6);
        thresholds[0].Should().BeApproximately(300 / a, 1e-6, "the first cell of work is bought at U / a");
        thresholds.Should().BeInDescendingOrder().And.OnlyContain(t => t > 50 && t < 300);
    }

    [Fact]
    public void A_job_runs_now_at_its_threshold_and_waits_just_above_it_whatever_the_forecast()
    {
        var phi = PauseResumeThresholds.For(1, 2, 50, 300);
        double[] dearerAhead = [phi + 1, 400, 400, 400, 400, 400];
        double[] cheaperAhead = [phi, 60, 60, 60, 60, 60];

        PlanNow(dearerAhead, 2, 6, Rule(50, 300)).Start.Should().BeAfter(T0, "now is above the threshold, though every hour ahead is forecast dearer");
        var atThreshold = PlanNow(cheaperAhead, 2, 6, Rule(50, 300));
        atThreshold.Start.Should().Be(T0, "now is at the threshold, though the hours ahead are forecast cheaper");
        atThreshold.Reason.Should().Contain("threshold");
    }

    [Fact]
    public void With_the_forecast_beside_it_a_job_runs_now_when_either_says_run()
    {
        var phi = PauseResumeThresholds.For(1, 2, 50, 300);
        double[] dearerAhead = [phi + 1, 400, 400, 400, 400, 400];

        PlanNow(dearerAhead, 2, 6, Rule(50, 300, ThresholdRule.ForecastOrThreshold)).Start.Should().Be(T0, "the forecast runs now");
        PlanNow(dearerAhead, 2, 6, Rule(50, 300)).Start.Should().BeAfter(T0, "the threshold alone waits");
    }

    [Fact]
    public void A_job_whose_threshold_is_never_met_is_forced_to_run_and_still_meets_its_deadline()
    {
        var random = new Random(7);
        var trace = Random(random, 40, mean: 300, spread: 100);
        var never = Rule(1, 1000); // thresholds far below anything in the trace
        var (work, deadline) = (5, 12);
        var ran = new List<int>();
        for (var hour = 0; hour < deadline && ran.Count < work; hour++)
        {
            var now = T0.AddHours(hour);
            var job = new PlanningJob("job", work - ran.Count, TimeSpan.FromHours(work - ran.Count), T0.AddHours(deadline), true, ["A"], JobCosts.None,
                ran.Count == 0 ? JobPhase.Waiting : ran[^1] == hour - 1 ? JobPhase.Running : JobPhase.Paused, ran.Count == 0 ? null : "A",
                TotalDuration: TimeSpan.FromHours(work));
            var grid = new ForecastGrid(now, TimeSpan.FromHours(1), new Dictionary<string, double[]> { ["A"] = trace[hour..] });
            var plan = CarbonPlanner.Plan(grid, now, [job], PlanningPolicy.Interruptible, threshold: never).Single();
            if (plan.Start == now)
            {
                ran.Add(hour);
            }
        }

        ran.Should().Equal([7, 8, 9, 10, 11], "it waits while it has slack, then the deadline forces the rest");
    }
}
