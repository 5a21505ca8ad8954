using GreenTrain.Scheduler.Sweeps;
using GreenTrain.Scheduler.Sweeps.Algorithms;
using static GreenTrain.Scheduler.Tests.Sweeps.SyntheticObjective;

namespace GreenTrain.Scheduler.Tests.Sweeps;

public class AlgorithmTests
{
    private static readonly SearchSpace Grid27 = new(Space);

    [Fact]
    public void Hyperband_brackets_for_R_81_eta_3_match_Li_et_al_table_1()
    {
        Hyperband.Brackets(1, 81, 3).Should().Equal((4, 81, 1), (3, 34, 3), (2, 15, 9), (1, 8, 27), (0, 5, 81));
        SuccessiveHalving.Plan(81, 1, 81, 3).Should().Equal((81, 1), (27, 3), (9, 9), (3, 27), (1, 81));
        SuccessiveHalving.Plan(34, 3, 81, 3).Should().Equal((34, 3), (11, 9), (3, 27), (1, 81));
        SuccessiveHalving.Plan(15, 9, 81, 3).Should().Equal((15, 9), (5, 27), (1, 81));
        SuccessiveHalving.Plan(8, 27, 81, 3).Should().Equal((8, 27), (2, 81));
        SuccessiveHalving.Plan(5, 81, 81, 3).Should().Equal((5, 81));
    }

    [Fact]
    public void Hyperband_runs_exactly_the_rungs_of_its_table()
    {
        // A continuous space, so that every draw is a new configuration as Hyperband assumes.
        var space = new SearchSpace([new SearchDimension("$.training.optimizer.learningRate", DimensionKind.LogUniform, [], 1e-4, 1e-1, false, 3)]);
        var requests = Drive(new Hyperband(new ConfigurationDrawer(space, 7), 1, 81, 3));

        var rungs = requests.GroupBy(r => (r.Bracket, r.Resource)).Select(g => (g.Key.Bracket, g.Count(), g.Key.Resource)).ToList();
        rungs.Should().Equal(
            (4, 81, 1), (4, 27, 3), (4, 9, 9), (4, 3, 27), (4, 1, 81),
            (3, 34, 3), (3, 11, 9), (3, 3, 27), (3, 1, 81),
            (2, 15, 9), (2, 5, 27), (2, 1, 81),
            (1, 8, 27), (1, 2, 81),
            (0, 5, 81));
    }

    [Fact]
    public void Successive_halving_promotes_the_top_third_of_each_rung_and_ends_with_the_best()
    {
        var drawer = new ConfigurationDrawer(Grid27, 3);
        var configurations = Enumerable.Range(0, 27).Select(_ => drawer.Draw()).ToList();
        var requests = Drive(new SuccessiveHalving(configurations, 10, 270, 3));

        var byRung = requests.GroupBy(r => r.Rung).ToDictionary(g => g.Key, g => g.ToList());
        byRung.Keys.Should().Equal(0, 1, 2, 3);
        byRung.Select(r => r.Value.Count).Should().Equal(27, 9, 3, 1);
        byRung.Select(r => r.Value[0].Resource).Should().Equal(10, 30, 90, 270);
        for (var k = 1; k <= 3; k++)
        {
            var previous = byRung[k - 1].OrderByDescending(r => Score(r.Configuration, r.Resource)).Take(byRung[k].Count);
            byRung[k].Select(r => r.Configuration.Id).Should().BeEquivalentTo(previous.Select(r => r.Configuration.Id));
        }
        byRung[3].Single().Configuration.Key(Space).Should().Be(Best);
    }

    [Fact]
    public void Asha_promotes_only_from_a_rungs_top_third_finds_the_best_and_costs_a_fraction_of_the_grid()
    {
        var requests = Drive(new Asha(new ConfigurationDrawer(Grid27, 5), 27, 10, 270, 3));

        var seen = new Dictionary<int, List<(int Id, double Score)>>();
        foreach (var request in requests)
        {
            if (request.Rung > 0)
            {
                var below = seen[request.Rung - 1];
                var top = below.OrderByDescending(r => r.Score).ThenBy(r => r.Id).Take(below.Count / 3).Select(r => r.Id);
                top.Should().Contain(request.Configuration.Id, "ASHA promotes only what is in the top 1/eta of the rung below when it promotes");
            }
            (seen.TryGetValue(request.Rung, out var rung) ? rung : seen[request.Rung] = []).Add((request.Configuration.Id, Score(request.Configuration, request.Resource)));
        }
        requests.Where(r => r.Rung == 0).Should().HaveCount(27);
        requests.Where(r => r.Resource == 270).Select(r => r.Configuration.Key(Space)).Should().Contain(Best);
        // With resumed checkpoints a promotion costs only the difference between rungs.
        var cost = requests.GroupBy(r => r.Configuration.Id).Sum(g => g.Max(r => r.Resource));
        cost.Should().BeLessThan(27 * 270 / 5);
    }

    [Fact]
    public void Grid_tries_every_configuration_once_at_the_full_resource()
    {
        var requests = Drive(SweepAlgorithms.Create(new AlgorithmSpec(AlgorithmKind.Grid), Grid27, new ResourceSpec(ResourceUnit.Steps, 10, 270)));

        requests.Should().HaveCount(27).And.OnlyContain(r => r.Resource == 270);
        requests.Select(r => r.Configuration.Key(Space)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Random_search_with_one_seed_draws_the_same_configurations_and_a_range_stays_inside_it()
    {
        var space = new SearchSpace([new SearchDimension("$.training.optimizer.learningRate", DimensionKind.LogUniform, [], 1e-4, 1e-1, false, 3)]);
        List<double> Draws(int seed) => [.. Drive(SweepAlgorithms.Create(new AlgorithmSpec(AlgorithmKind.Random, Trials: 20, Seed: seed), space, new ResourceSpec()))
            .Select(r => r.Configuration.Values[0]!.GetValue<double>())];

        Draws(4).Should().Equal(Draws(4)).And.OnlyContain(v => v >= 1e-4 && v <= 1e-1);
        Draws(4).Should().NotEqual(Draws(5));
        // Log-uniform: about as many draws below 1e-2.5 as above it.
        Draws(4).Count(v => v < Math.Pow(10, -2.5)).Should().BeInRange(5, 15);
    }

    [Fact]
    public void Log_uniform_grid_points_are_evenly_spaced_in_the_logarithm()
    {
        var values = SearchSpace.GridValues(new SearchDimension("$.x", DimensionKind.LogUniform, [], 1e-4, 1e-2, false, 3));

        values.Select(v => v!.GetValue<double>()).Should().Equal(1e-4, 1e-3, 1e-2);
    }
}
