using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.StructuredSparsity;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.StructuredSparsity;

public sealed class StructuredSparsityTests
{
    [Fact]
    public void Every_group_of_four_keeps_its_two_largest_magnitudes()
    {
        using var weight = tensor(new[] { 0.1f, -0.9f, 0.3f, 0.2f, 5f, 4f, -6f, 0f }).view(1, 8);

        using var mask = NmSparsity.Mask(weight, keep: 2, groupSize: 4);

        mask.flatten().data<bool>().ToArray().Should().Equal(false, true, true, false, true, false, true, false);
    }

    [Fact]
    public void Layers_whose_rows_do_not_split_into_groups_are_left_dense()
    {
        NmSparsity.Fits([32, 1, 3, 3], 4).Should().BeFalse("a first convolution over one channel has rows of 9");
        NmSparsity.Fits([64, 32, 3, 3], 4).Should().BeTrue();
    }

    [Fact]
    public void Pruning_once_at_its_step_gives_two_zeros_in_every_four_and_the_mask_stays()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp16, steps: 60, accumulation: 1, new StructuredSparsitySpec { PruneAtFraction = 0.5 });
        using var state = MethodTesting.Train(spec);

        foreach (var slot in state.Parameters.Layout.Where(s => s.Shape.Length == 2))
        {
            var weights = MethodTesting.Host(FlatParameters.View(state.Parameters.Master, slot));
            weights.Chunk(4).Should().OnlyContain(group => group.Count(v => v == 0) >= 2, $"{slot.Name} is 2:4 sparse after retraining");
            var compute = MethodTesting.Host(FlatParameters.View(state.Parameters.Compute, slot));
            compute.Select(v => v == 0).Should().Equal(weights.Select(v => v == 0));
        }
        state.Evaluations[^1].Accuracy.Should().BeGreaterThan(0.85);
    }

    [Fact]
    public void Its_section_round_trips_the_masks_into_a_fresh_run()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1, new StructuredSparsitySpec { PruneAtFraction = 0.5 });
        using var trained = MethodTesting.Train(spec);
        using var fresh = TrainingSession.Prepare(spec, CPU);
        var method = fresh.Method<StructuredSparsityMethod>()!;

        method.Load(MethodTesting.ThroughBytes(trained.Method<StructuredSparsityMethod>()!, trained), fresh);
        method.Apply(TrainingEvent.FitStart, fresh, NullLogger.Instance);

        method.Report(fresh)["sparsity"]!.GetValue<double>().Should().Be(0.5);
        MethodTesting.SectionBytes(fresh).Should().BeEquivalentTo(MethodTesting.SectionBytes(trained), o => o.WithStrictOrdering());
    }
}
