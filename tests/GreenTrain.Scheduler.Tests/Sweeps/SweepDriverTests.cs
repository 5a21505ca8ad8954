using System.Text.Json.Nodes;
using GreenTrain.Scheduler.Sweeps;

namespace GreenTrain.Scheduler.Tests.Sweeps;

public class SweepDriverTests
{
    private static SweepSpec Sweep(AlgorithmKind kind, SweepBudget? budget = null) => new()
    {
        Name = "t",
        Base = JsonNode.Parse("""{ "name": "base", "dataset": { "kind": "digits" }, "model": { "kind": "mlp" } }""")!.AsObject(),
        Space = SyntheticObjective.Space,
        Resource = new ResourceSpec(ResourceUnit.Steps, 10, 270),
        Algorithm = new AlgorithmSpec(kind, 3, Trials: 27, Seed: 2),
        Budget = budget ?? new SweepBudget(),
    };

    private static readonly EmissionFactors Emissions = new(500);

    [Theory]
    [InlineData(AlgorithmKind.SuccessiveHalving)]
    [InlineData(AlgorithmKind.Asha)]
    [InlineData(AlgorithmKind.Hyperband)]
    public void Promoted_trials_continue_from_their_checkpoint_and_never_train_a_step_twice(AlgorithmKind kind)
    {
        var runner = new SyntheticRunner();
        var outcome = new SweepDriver(Sweep(kind), runner, Emissions).Run();

        foreach (var trial in runner.Segments.GroupBy(s => s.Segment.TrialId))
        {
            trial.Select(s => s.Segment.Resource).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
            trial.Skip(1).Where(s => s.From == 0 || s.Segment.Restart).Should().BeEmpty("a promotion resumes where the rung stopped");
        }
        runner.Segments.Should().Contain(s => s.From > 0, "some trial was promoted");
        var steps = outcome.Trials.Sum(t => t.StepsTrained);
        steps.Should().Be(outcome.Trials.Sum(t => t.Reached), "steps trained add up to how far each trial got");
        outcome.Trials.Should().Contain(t => t.Reached == 270);
        SweepReport.Build(outcome, Emissions).Best!.Values.Values.Select(v => v!.ToJsonString()).Should().Equal("0.003", "64", "2");
    }

    [Theory]
    [InlineData(AlgorithmKind.SuccessiveHalving)]
    [InlineData(AlgorithmKind.Asha)]
    [InlineData(AlgorithmKind.Hyperband)]
    [InlineData(AlgorithmKind.Grid)]
    public void Rung_eval_batches_score_intermediate_rungs_only_and_full_trials_as_the_base_spec(AlgorithmKind kind)
    {
        var sweep = Sweep(kind) with { Resource = new ResourceSpec(ResourceUnit.Steps, 10, 270, RungEvalBatches: 2) };
        var runner = new SyntheticRunner();

        new SweepDriver(sweep, runner, Emissions).Run();

        var segments = runner.Segments.Select(s => s.Segment).ToList();
        var rungs = segments.Where(s => !s.IsFinal).ToList();
        if (kind == AlgorithmKind.Grid) rungs.Should().BeEmpty("the grid trains every trial to the full resource: its reference is unchanged");
        else rungs.Should().NotBeEmpty().And.OnlyContain(s => s.EvalBatches == 2);
        segments.Where(s => s.IsFinal).Should().NotBeEmpty().And.OnlyContain(s => s.EvalBatches == null && s.Resource == 270,
            "the chosen trial and its test score come from full segments with the base spec's validation");
        segments.Should().OnlyContain(s => s.Spec.Training.EvalBatches == null, "the trial's spec, and so its checkpoint's hash, is the same at every rung");
    }

    [Fact]
    public void Hyperband_answers_a_configuration_asked_again_from_its_record_at_no_cost()
    {
        var outcome = new SweepDriver(Sweep(AlgorithmKind.Hyperband), new SyntheticRunner(), Emissions).Run();

        outcome.ReusedSegments.Should().BeGreaterThan(0);
        outcome.Trials.SelectMany(t => t.Segments).Where(s => s.Reused).Should().OnlyContain(s => s.Joules == 0);
    }

    [Fact]
    public void An_energy_budget_stops_the_sweep_once_spent()
    {
        var budgetKwh = 500 / 3.6e6; // 500 J: at 1 J a step, well under a grid of 27 x 270 steps
        var outcome = new SweepDriver(Sweep(AlgorithmKind.Grid, new SweepBudget(Kwh: budgetKwh)), new SyntheticRunner(), Emissions).Run();

        outcome.StopReason.Should().StartWith("energy budget spent");
        outcome.Segments.Should().Be(2, "the first segment (270 J) leaves budget, the second (540 J in all) spends it");
    }

    [Fact]
    public void A_trial_budget_caps_the_configurations_started()
    {
        var outcome = new SweepDriver(Sweep(AlgorithmKind.Asha, new SweepBudget(Trials: 5)), new SyntheticRunner(), Emissions).Run();

        outcome.Trials.Should().HaveCount(5);
        outcome.StopReason.Should().StartWith("trial budget spent");
    }

    [Fact]
    public void Report_measures_the_grid_when_it_ran_and_estimates_it_from_energy_per_step_otherwise()
    {
        var grid = SweepReport.Build(new SweepDriver(Sweep(AlgorithmKind.Grid), new SyntheticRunner(), Emissions).Run(), Emissions);
        var asha = SweepReport.Build(new SweepDriver(Sweep(AlgorithmKind.Asha), new SyntheticRunner(), Emissions).Run(), Emissions);

        grid.Grid.Estimate.Should().BeFalse();
        grid.Grid.Kwh.Should().BeApproximately(27 * 270 / 3.6e6, 1e-12);
        asha.Grid.Estimate.Should().BeTrue();
        asha.Grid.How.Should().StartWith("estimate");
        asha.Grid.Kwh.Should().BeApproximately(grid.Grid.Kwh, 1e-12, "every synthetic step costs 1 J, so the estimate is exact");
        asha.EnergyVsGrid.Should().BeLessThan(0.2);
        asha.TotalGramsCo2.Should().BeApproximately(asha.TotalKwh * 500, 1e-9);
        asha.Label!.SearchKwh.Should().Be(asha.TotalKwh);
    }

    [Fact]
    public void Pareto_frontier_keeps_only_trials_no_other_beats_on_both_metric_and_energy()
    {
        var points = new[] { (Id: "cheap", Score: 0.80, Energy: 1.0), (Id: "dominated", Score: 0.79, Energy: 2.0), (Id: "better", Score: 0.90, Energy: 3.0), (Id: "worse-and-dearer", Score: 0.85, Energy: 4.0) };

        ParetoFrontier.Of(points, p => p.Score, p => p.Energy).Select(p => p.Id).Should().Equal("cheap", "better");
    }
}
