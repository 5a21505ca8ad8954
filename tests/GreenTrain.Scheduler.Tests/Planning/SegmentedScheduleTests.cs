using GreenTrain.Scheduler.Planning;
using static GreenTrain.Scheduler.Tests.Planning.PlanningFixtures;

namespace GreenTrain.Scheduler.Tests.Planning;

/// <summary>The Lagrangian programme against exhaustive search on instances small enough to enumerate.</summary>
public class SegmentedScheduleTests
{
    [Fact]
    public void With_pause_costs_the_planner_finds_the_exhaustive_optimum()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 300; trial++)
        {
            var values = PlanningFixtures.Random(random, 14);
            var k = random.Next(2, 8);
            var pause = random.NextDouble() * 0.6;
            var job = Job("j", k, 14, costs: new JobCosts(pause / 2, pause / 2));

            var plan = CarbonPlanner.Plan(Grid(("A", values)), T0, [job], PlanningPolicy.Interruptible).Single();

            plan.ExpectedGrams.Should().BeApproximately(Exhaustive(values, k, pause), 1e-6);
        }
    }

    [Fact]
    public void The_priced_programme_for_large_jobs_stays_within_two_percent_of_the_exact_one()
    {
        var random = new Random(11);
        var gaps = new List<double>();
        for (var trial = 0; trial < 60; trial++)
        {
            var values = PlanningFixtures.Random(random, 96);
            var k = random.Next(20, 60);
            var pause = random.NextDouble() * 0.6;
            var grid = Grid(("A", values));
            var space = new JobSpace(Job("j", k, 96, costs: new JobCosts(pause / 2, pause / 2)), grid, T0, new SlotUsage(grid.Cells, null));

            var priced = CellAssignment.Price(SegmentedSchedule.SolveByPrice(space, [0])!, space).Grams;
            var exact = CellAssignment.Price(ExactProgramme.Solve(space, [0])!, space).Grams;

            priced.Should().BeGreaterThanOrEqualTo(exact - 1e-6);
            gaps.Add(priced / exact - 1);
        }
        gaps.Max().Should().BeLessThan(0.02);
        gaps.Average().Should().BeLessThan(0.005);
    }

    private static double Exhaustive(double[] values, int k, double pauseKWh)
    {
        var best = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << values.Length; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != k)
            {
                continue;
            }
            double grams = 0;
            var last = -2;
            for (var t = 0; t < values.Length; t++)
            {
                if ((mask & (1 << t)) == 0)
                {
                    continue;
                }
                grams += values[t];
                if (last >= 0 && t != last + 1)
                {
                    grams += pauseKWh * values[t];
                }
                last = t;
            }
            best = Math.Min(best, grams);
        }
        return best;
    }
}
