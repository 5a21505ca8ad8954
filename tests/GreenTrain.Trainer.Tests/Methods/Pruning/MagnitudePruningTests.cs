using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Pruning;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Pruning;

public sealed class MagnitudePruningTests
{
    [Fact]
    public void Sparsity_follows_the_cubic_schedule_from_its_start_to_its_end()
    {
        MagnitudePruning.SparsityAt(9, 10, 50, 0, 0.8).Should().Be(0, "nothing is pruned before t0");
        MagnitudePruning.SparsityAt(10, 10, 50, 0.1, 0.8).Should().BeApproximately(0.1, 1e-12, "t0 prunes to the initial sparsity");
        MagnitudePruning.SparsityAt(30, 10, 50, 0, 0.8).Should().BeApproximately(0.8 - 0.8 * 0.125, 1e-12, "halfway: s_f + (s_i - s_f) 0.5^3");
        MagnitudePruning.SparsityAt(50, 10, 50, 0, 0.8).Should().Be(0.8);
        MagnitudePruning.SparsityAt(90, 10, 50, 0, 0.8).Should().Be(0.8);
        MagnitudePruning.IsPruningStep(20, 10, 50, 10).Should().BeTrue();
        MagnitudePruning.IsPruningStep(25, 10, 50, 10).Should().BeFalse();
    }

    [Fact]
    public void The_mask_prunes_the_smallest_magnitudes_and_keeps_what_was_pruned_before()
    {
        using var weight = tensor(new[] { 0.5f, -0.1f, 0f, 2f, -3f, 0.05f, 1f, -0.2f }).view(2, 4);

        using var mask = MagnitudePruning.Mask(weight, 0.5);

        mask.flatten().data<bool>().ToArray().Should().Equal(true, false, false, true, true, false, true, false);
    }

    [Fact]
    public void Global_masks_prune_the_smallest_magnitudes_wherever_they_lie()
    {
        using var large = tensor(new[] { 4f, -5f, 6f, 0.01f }).view(2, 2);
        using var small = tensor(new[] { 0.1f, -0.3f, 0.2f, 0.4f, -0.05f, 3f }).view(2, 3);

        var masks = MagnitudePruning.GlobalMasks([large, small], 4);

        masks[0].flatten().data<bool>().ToArray().Should().Equal(true, true, true, false);
        masks[1].flatten().data<bool>().ToArray().Should().Equal(false, true, false, true, false, true); // the layer of small weights gives up more
        foreach (var mask in masks) mask.Dispose();
    }

    [Fact]
    public void Global_scope_reaches_the_sparsity_over_the_whole_model_with_layers_pruned_unevenly()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 150, accumulation: 1, new MagnitudePruningSpec { FinalSparsity = 0.8 });
        using var state = MethodTesting.Train(spec);

        var report = state.Method<MagnitudePruningMethod>()!.Report(state);
        report["sparsity"]!.GetValue<double>().Should().BeApproximately(0.8, 0.001);
        var layers = report["layers"]!.AsObject().Select(l => l.Value!["sparsity"]!.GetValue<double>()).ToList();
        layers.Should().HaveCount(2).And.Contain(s => Math.Abs(s - 0.8) > 0.01, "one threshold for all layers prunes each by its own weights' sizes");
        state.Evaluations[^1].Accuracy.Should().BeGreaterThan(0.85);
    }

    [Fact]
    public void The_first_layer_stays_dense_when_asked_and_the_others_reach_the_sparsity()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 60, accumulation: 1, new MagnitudePruningSpec { FinalSparsity = 0.5, DenseFirstLayer = true });
        using var state = MethodTesting.Train(spec);

        var report = state.Method<MagnitudePruningMethod>()!.Report(state);
        var layers = report["layers"]!.AsObject().Select(l => (l.Key, Sparsity: l.Value!["sparsity"]!.GetValue<double>())).ToList();
        layers[0].Sparsity.Should().Be(0, $"{layers[0].Key} is the first layer");
        layers[1].Sparsity.Should().BeApproximately(0.5, 0.001);
        report["denseLayers"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(layers[0].Key);
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void A_pruned_weight_stays_zero_through_an_optimizer_step_with_momentum(OptimizerKind optimizer)
    {
        var digits = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1, new MagnitudePruningSpec { FinalSparsity = 0.7, StartFraction = 0, EndFraction = 0.5 });
        var spec = digits with { Training = digits.Training with { Optimizer = digits.Training.Optimizer with { Kind = optimizer, Momentum = 0.9 } } };
        using var state = MethodTesting.Train(spec);
        var method = state.Method<MagnitudePruningMethod>()!;
        var weights = state.Parameters.DecayCount; // the matrices and kernels come first in the flat layout
        var pruned = MethodTesting.Host(state.Parameters.Master).Select((v, i) => i < weights && v == 0).ToArray();

        // One more step by hand, without the mask re-applied after it: only gradients and optimizer state decide.
        var batch = state.Sampler.Next();
        using (var loss = state.Criterion(state.Network.Module.forward(batch.Input), batch)) loss.backward();
        method.Apply(TrainingEvent.BeforeClip, state, NullLogger.Instance);
        var gradients = MethodTesting.Host(state.Parameters.MasterGrad);
        state.Optimizer.Step(1e-2);

        var after = MethodTesting.Host(state.Parameters.Master);
        pruned.Count(p => p).Should().BeGreaterThan(state.Parameters.Layout.Count, "the run has pruned weights");
        Enumerable.Range(0, after.Length).Where(i => pruned[i]).Should().OnlyContain(i => gradients[i] == 0 && after[i] == 0,
            "a pruned weight has no gradient (so no share of the clipping norm) and no momentum left to move it");
    }

    [Fact]
    public void Pruning_step_masks_the_master_and_the_16_bit_copy_alike()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Bf16, steps: 100, accumulation: 1, new MagnitudePruningSpec { FinalSparsity = 0.6, StartFraction = 0, EndFraction = 0.5, Scope = PruningScope.Layer, DenseFirstLayer = false });
        using var state = TrainingSession.Prepare(spec, CPU);
        var method = state.Method<MagnitudePruningMethod>()!;
        foreach (var m in state.Methods) if (m.Match(TrainingEvent.FitStart, state)) m.Apply(TrainingEvent.FitStart, state, NullLogger.Instance);
        state.Step = 49; // the step that completes the schedule

        method.Apply(TrainingEvent.AfterOptimizerStep, state, NullLogger.Instance);

        var slot = state.Parameters.Layout[0];
        var master = MethodTesting.Host(FlatParameters.View(state.Parameters.Master, slot));
        var compute = MethodTesting.Host(FlatParameters.View(state.Parameters.Compute, slot));
        master.Count(v => v == 0).Should().Be((int)Math.Floor(0.6 * master.Length));
        compute.Select(v => v == 0).Should().Equal(master.Select(v => v == 0), "the 16-bit weights the model computes with are pruned too");
    }

    [Fact]
    public void Its_section_round_trips_the_masks_into_a_fresh_run()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 40, accumulation: 1, new MagnitudePruningSpec { FinalSparsity = 0.7, StartFraction = 0, EndFraction = 0.5, EverySteps = 5 });
        using var trained = MethodTesting.Train(spec);
        var section = MethodTesting.ThroughBytes(trained.Method<MagnitudePruningMethod>()!, trained);
        using var fresh = TrainingSession.Prepare(spec, CPU);
        var method = fresh.Method<MagnitudePruningMethod>()!;

        method.Load(section, fresh);
        method.Apply(TrainingEvent.FitStart, fresh, NullLogger.Instance);

        var report = method.Report(fresh);
        report["sparsity"]!.GetValue<double>().Should().BeApproximately(0.7, 0.001, "the loaded masks prune the fresh weights exactly as the trained run's");
        MethodTesting.SectionBytes(fresh).Should().BeEquivalentTo(MethodTesting.SectionBytes(trained), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(PrecisionKind.Fp32, 1)]
    [InlineData(PrecisionKind.Bf16, 2)]
    [InlineData(PrecisionKind.Fp16, 2)]
    public void A_per_layer_pruned_run_reaches_its_sparsity_in_every_layer_and_still_learns(PrecisionKind precision, int accumulation)
    {
        var spec = MethodTesting.Digits(precision, steps: 150, accumulation,
            new MagnitudePruningSpec { FinalSparsity = 0.8, StartFraction = 0.1, EndFraction = 0.6, Scope = PruningScope.Layer, DenseFirstLayer = false });
        using var state = MethodTesting.Train(spec);

        var report = state.Method<MagnitudePruningMethod>()!.Report(state);
        foreach (var (_, layer) in report["layers"]!.AsObject()) layer!["sparsity"]!.GetValue<double>().Should().BeApproximately(0.8, 0.002);
        state.Evaluations[^1].Accuracy.Should().BeGreaterThan(0.85);
    }
}
