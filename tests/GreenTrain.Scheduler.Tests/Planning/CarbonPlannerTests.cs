using GreenTrain.Scheduler.Planning;
using static GreenTrain.Scheduler.Tests.Planning.PlanningFixtures;

namespace GreenTrain.Scheduler.Tests.Planning;

public class CarbonPlannerTests
{
    private static readonly double[] Dip = [400, 400, 300, 100, 120, 110, 380, 400, 50, 420, 400, 400];

    [Fact]
    public void Contiguous_window_is_the_cleanest_three_hours_before_the_deadline()
    {
        var plan = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [Job("j", 3, 12)], PlanningPolicy.Contiguous).Single();

        plan.Intervals.Should().ContainSingle().Which.Should().Be(new PlannedInterval("A", T0.AddHours(3), T0.AddHours(6)));
        plan.ExpectedGrams.Should().Be(100 + 120 + 110); // 1 kWh per hour
        plan.RunNowGrams.Should().Be(400 + 400 + 300);
        plan.MeetsDeadline.Should().BeTrue();
        plan.Reason.Should().BeNull();
    }

    [Fact]
    public void Interruptible_without_pause_cost_runs_in_the_cleanest_hours()
    {
        var plan = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [Job("j", 3, 12)], PlanningPolicy.Interruptible).Single();

        plan.Intervals.Select(i => (Hour(i.Start), Hour(i.End))).Should().Equal((3, 4), (5, 6), (8, 9));
        plan.ExpectedGrams.Should().Be(100 + 110 + 50);
        plan.Pauses.Should().Be(2);
    }

    [Fact]
    public void A_pause_that_costs_more_than_it_saves_is_not_taken()
    {
        // Each pause costs 2 kWh: at 110 g/kWh that is 220 g, more than the 70 g the 50 g/kWh hour saves over 120 g/kWh.
        var costs = new JobCosts(CheckpointKWh: 1, ResumeKWh: 1);
        var plan = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [Job("j", 3, 12, costs: costs)], PlanningPolicy.Interruptible).Single();

        plan.Intervals.Should().ContainSingle().Which.Should().Be(new PlannedInterval("A", T0.AddHours(3), T0.AddHours(6)));
        plan.Pauses.Should().Be(0);
    }

    [Fact]
    public void Job_that_cannot_pause_gets_one_window_whatever_the_policy()
    {
        var plan = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [Job("j", 3, 12, pausable: false)], PlanningPolicy.RegionShifting).Single();

        plan.Intervals.Should().ContainSingle();
        plan.Policy.Should().Be(PlanningPolicy.Contiguous);
    }

    [Fact]
    public void Region_shifting_follows_the_clean_grid_when_moving_is_cheap_and_stays_when_it_is_dear()
    {
        double[] a = [100, 100, 500, 500, 500, 500];
        double[] b = [500, 500, 500, 500, 100, 100];
        var grid = Grid(("A", a), ("B", b));
        var cheap = Job("j", 4, 6, regions: ["A", "B"], costs: new JobCosts(MigrationKWh: 0.1));
        var dear = cheap with { Costs = new JobCosts(MigrationKWh: 10) };

        var moved = CarbonPlanner.Plan(grid, T0, [cheap], PlanningPolicy.RegionShifting).Single();
        var stayed = CarbonPlanner.Plan(grid, T0, [dear], PlanningPolicy.RegionShifting).Single();

        moved.Intervals.Should().Equal(new PlannedInterval("A", T0, T0.AddHours(2)), new PlannedInterval("B", T0.AddHours(4), T0.AddHours(6)));
        moved.Migrations.Should().Be(1);
        moved.ExpectedGrams.Should().BeApproximately(400 + 0.1 * 100, 1e-9);
        stayed.Migrations.Should().Be(0);
        stayed.Intervals.Select(i => i.Region).Distinct().Should().ContainSingle();
    }

    [Fact]
    public void Deadline_out_of_reach_runs_at_once_and_says_why()
    {
        var plan = CarbonPlanner.Plan(Grid(("A", Dip)), T0.AddHours(2), [Job("late", 5, 5)], PlanningPolicy.Interruptible).Single();

        plan.Intervals.Should().ContainSingle().Which.Start.Should().Be(T0.AddHours(2));
        plan.MeetsDeadline.Should().BeFalse();
        plan.Reason.Should().Contain("cannot be met").And.Contain("runs at once");
    }

    [Fact]
    public void Jobs_share_a_single_slot_without_overlapping_and_the_tighter_one_gets_the_clean_hours()
    {
        var grid = Grid(("A", Dip));
        var jobs = new[] { Job("loose", 2, 12), Job("tight", 2, 6) };

        var plans = CarbonPlanner.Plan(grid, T0, jobs, PlanningPolicy.Contiguous, new Dictionary<string, int> { ["A"] = 1 });

        var hours = plans.SelectMany(p => p.Intervals.SelectMany(i => Enumerable.Range(Hour(i.Start), Hour(i.End) - Hour(i.Start)))).ToList();
        hours.Should().OnlyHaveUniqueItems();
        plans.Should().OnlyContain(p => p.MeetsDeadline);
        plans[1].Intervals.Single().Start.Should().Be(T0.AddHours(3));
    }

    [Fact]
    public void Running_job_that_cannot_pause_runs_on_where_it_is()
    {
        var job = Job("r", 2, 12, pausable: false, regions: ["A", "B"], phase: JobPhase.Running, current: "B");
        var plan = CarbonPlanner.Plan(Grid(("A", Dip), ("B", Dip.Select(v => v + 100).ToArray())), T0, [job], PlanningPolicy.RegionShifting).Single();

        plan.Intervals.Should().Equal(new PlannedInterval("B", T0, T0.AddHours(2)));
    }

    [Fact]
    public void Replanning_after_a_new_forecast_moves_the_run_and_after_progress_shortens_it()
    {
        var job = Job("j", 3, 12);
        var first = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [job], PlanningPolicy.Contiguous).Single();
        var newForecast = Dip.Select((v, i) => i >= 9 ? 10.0 : v).ToArray();

        var afterForecast = CarbonPlanner.Plan(Grid(("A", newForecast)), T0, [job], PlanningPolicy.Contiguous).Single();
        var afterProgress = CarbonPlanner.Plan(Grid(("A", Dip)), T0,
            [job with { RemainingDuration = TimeSpan.FromHours(1), RemainingEnergyKWh = 1 }], PlanningPolicy.Contiguous).Single();

        first.Start.Should().Be(T0.AddHours(3));
        afterForecast.Start.Should().Be(T0.AddHours(9));
        afterProgress.Intervals.Single().Should().Be(new PlannedInterval("A", T0.AddHours(8), T0.AddHours(9)));
    }

    [Fact]
    public void The_last_interval_ends_with_the_work_but_a_job_all_but_done_still_gets_a_quarter_cell()
    {
        var job = Job("j", 3, 12);

        var most = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [job with { RemainingDuration = TimeSpan.FromMinutes(40), RemainingEnergyKWh = 1 }],
            PlanningPolicy.Contiguous).Single();
        var crumbs = CarbonPlanner.Plan(Grid(("A", Dip)), T0, [job with { RemainingDuration = TimeSpan.FromSeconds(2), RemainingEnergyKWh = 0.001 }],
            PlanningPolicy.Contiguous).Single();

        most.Intervals.Single().Should().Be(new PlannedInterval("A", T0.AddHours(8), T0.AddHours(8).AddMinutes(40)));
        // A plan of two seconds would be over before the dispatcher, woken at its start, looked: the run would never resume.
        crumbs.Intervals.Single().Should().Be(new PlannedInterval("A", T0.AddHours(8), T0.AddHours(8).AddMinutes(15)));
    }

    [Fact]
    public void Plans_never_miss_a_reachable_deadline_and_never_emit_more_than_running_at_once()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var grid = Grid(("A", PlanningFixtures.Random(random, 48)), ("B", PlanningFixtures.Random(random, 48)));
            var hours = random.Next(1, 12);
            var job = Job($"j{trial}", hours, hours + random.Next(0, 30), regions: ["A", "B"], costs: new JobCosts(0.05, 0.05, 0.2));
            foreach (var policy in Enum.GetValues<PlanningPolicy>())
            {
                var plan = CarbonPlanner.Plan(grid, T0, [job], policy).Single();

                plan.MeetsDeadline.Should().BeTrue();
                plan.Intervals.Sum(i => (i.End - i.Start).TotalHours).Should().BeApproximately(hours, 1e-9);
                plan.ExpectedGrams.Should().BeLessThanOrEqualTo(plan.RunNowGrams + 1e-6);
            }
        }
    }
}
