using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Export;
using GreenTrain.Trainer.Methods;
using GreenTrain.Trainer.Methods.Quantization;
using GreenTrain.Trainer.Tests.Methods.MixtureOfExperts;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Quantization;

public sealed class QuantizationTests
{
    [Fact]
    public void Weights_round_to_a_symmetric_grid_with_one_scale_per_output_channel()
    {
        using var weight = tensor(new[] { 1.27f, -0.5f, 0.01f, 0.254f, -0.127f, 0.1f }).view(2, 3);

        using var scales = FakeQuantization.WeightScales(weight);
        using var quantized = FakeQuantization.QuantizeWeights(weight, scales);

        scales.data<float>().ToArray().Should().BeEquivalentTo([0.01f, 0.002f], o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-7f)).WhenTypeIs<float>());
        quantized.data<sbyte>().ToArray().Should().Equal(127, -50, 1, 127, -64, 50);
    }

    [Fact]
    public void Activations_round_to_the_affine_grid_of_their_range_and_the_gradient_passes_straight_through_inside_it()
    {
        using var x = tensor(new[] { -1f, 0.3f, 2.9f, 5f }).requires_grad_();
        using var min = tensor(new[] { -1f });
        using var max = tensor(new[] { 3f });

        using var y = FakeQuantization.FakeQuantizeActivations(x, min, max);
        y.sum().backward();

        var step = 4f / 255;
        var values = y.detach().data<float>().ToArray();
        values.Take(3).Should().OnlyContain(v => Math.Abs(v / step - MathF.Round(v / step)) < 1e-3, "each value lies on the grid of step (max - min) / 255");
        values[1].Should().BeApproximately(0.3f, step / 2 + 1e-6f);
        values[3].Should().BeApproximately(3f, step, "a value above the range is clipped to its top");
        x.grad!.data<float>().ToArray().Should().Equal(1f, 1f, 1f, 0f);
    }

    [Fact]
    public void At_4_bits_weights_take_the_levels_minus_7_to_7_and_activations_16_levels_of_their_range()
    {
        using var weight = tensor(new[] { 0.7f, -0.26f, 0.04f, 1.4f, 0.33f, -0.62f }).view(2, 3);
        using var scales = FakeQuantization.WeightScales(weight, bits: 4);
        using var quantized = FakeQuantization.QuantizeWeights(weight, scales, bits: 4);

        scales.data<float>().ToArray().Should().BeEquivalentTo([0.1f, 0.2f], o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-7f)).WhenTypeIs<float>(), "max |w| of the row over 7");
        quantized.data<sbyte>().ToArray().Should().Equal(7, -3, 0, 7, 2, -3);

        using var x = tensor(new[] { -1.5f, 0.33f, 1f, 2.5f }).requires_grad_();
        using var min = tensor(new[] { -1f });
        using var max = tensor(new[] { 2f });
        using var y = FakeQuantization.FakeQuantizeActivations(x, min, max, bits: 4);
        y.sum().backward();

        y.detach().data<float>().ToArray().Should().BeEquivalentTo([-1f, 0.4f, 1f, 2f], o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>(),
            "the grid is 16 levels of step (2 - -1) / 15 = 0.2 from -1 to 2, and values outside the range are clipped to its ends");
        x.grad!.data<float>().ToArray().Should().Equal(0f, 1f, 1f, 0f);
    }

    [Fact]
    public void After_the_delay_the_model_computes_with_int8_grid_weights_while_the_master_stays_fp32()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1, new QuantizationAwareSpec { DelayFraction = 0.5 });
        using var state = MethodTesting.Train(spec);

        var slot = state.Parameters.Layout[0];
        using var master = FlatParameters.View(state.Parameters.Master, slot);
        using var expected = FakeQuantization.FakeQuantizeWeights(master);
        using var compute = FlatParameters.View(state.Parameters.Compute, slot);
        compute.allclose(expected, 0, 0).Should().BeTrue();
        master.allclose(expected, 0, 0).Should().BeFalse("the optimizer updates latent fp32 weights");
    }

    [Fact]
    public void The_export_holds_int8_weights_with_scales_and_reads_back_as_their_dequantised_values()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Bf16, steps: 40, accumulation: 2, new QuantizationAwareSpec { DelayFraction = 0.2 });
        using var state = MethodTesting.Train(spec);
        var method = state.Method<QuantizationAwareMethod>()!;

        var contents = CompactModelFile.Read(method.ExportedModel!);

        var slot = state.Parameters.Layout[0];
        using var master = FlatParameters.View(state.Parameters.Master, slot);
        using var expected = FakeQuantization.FakeQuantizeWeights(master);
        contents.Tensors[slot.Name].allclose(expected, 0, 0).Should().BeTrue();
        contents.ActivationRanges.Should().ContainKey(slot.Name);
        method.ExportedModel!.Length.Should().BeLessThan((int)(state.Parameters.Count * 4 / 3), "int8 weights take a quarter of fp32's bytes");
        var export = method.Report(state)["int8Export"]!;
        var fakeQuantised = TrainingSession.ScoreTest(state, new RunOptions()).Accuracy!.Value;
        export["testAccuracy"]!.GetValue<double>().Should().BeApproximately(fakeQuantised, 0.02, "real int8 weights score as the fake-quantised model trained them");
    }

    [Fact]
    public void A_4_bit_export_holds_at_most_15_levels_per_channel_names_its_widths_and_scores_exactly_as_the_fake_quantised_model()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1, new QuantizationAwareSpec { DelayFraction = 0.2, Bits = 4 });
        using var state = MethodTesting.Train(spec);
        var method = state.Method<QuantizationAwareMethod>()!;

        var contents = CompactModelFile.Read(method.ExportedModel!);

        contents.Quantization.Should().Be(new QuantizationGrid(4, 8));
        var layers = WeightLayers.Of(state.Network.Module).Select(l => l.WeightName).ToList();
        foreach (var name in layers)
        {
            using var rows = contents.Tensors[name].reshape(contents.Tensors[name].shape[0], -1);
            for (var channel = 0; channel < rows.shape[0]; channel++)
            {
                using var row = rows[channel];
                row.data<float>().ToArray().Distinct().Count().Should().BeLessThanOrEqualTo(15, $"{name} channel {channel} holds levels -7..7 times its scale");
            }
            var slot = state.Parameters.SlotOf(name)!;
            using var compute = FlatParameters.View(state.Parameters.Compute, slot);
            contents.Tensors[name].allclose(compute, 0, 0).Should().BeTrue("the file holds the 4-bit weights the model trained with");
        }
        var export = method.Report(state)["int8Export"]!;
        var fakeQuantised = TrainingSession.ScoreTest(state, new RunOptions());
        export["testAccuracy"]!.GetValue<double>().Should().Be(fakeQuantised.Accuracy!.Value, "the export is the fake-quantised fp32 model, weights and input grids alike");
        export["testLoss"]!.GetValue<double>().Should().BeApproximately(fakeQuantised.Loss, 1e-5);
    }

    [Fact]
    public void Post_training_quantization_at_4_bits_rounds_the_dense_weights_to_that_grid_and_scores_below_int8()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1);
        using var state = MethodTesting.Train(spec);
        var grid = new QuantizationGrid(4, 8);

        var file = PostTrainingQuantization.Export(state, grid);
        var contents = CompactModelFile.Read(file);

        contents.Quantization.Should().Be(grid);
        var slot = state.Parameters.Layout[0];
        using var master = FlatParameters.View(state.Parameters.Master, slot);
        using var expected = FakeQuantization.FakeQuantizeWeights(master, bits: 4);
        contents.Tensors[slot.Name].allclose(expected, 0, 0).Should().BeTrue();
        var fourBit = Int8Evaluation.Evaluate(state, file, state.Data.Test, 512);
        var int8 = Int8Evaluation.Evaluate(state, PostTrainingQuantization.Export(state), state.Data.Test, 512);
        fourBit.Loss.Should().BeGreaterThan(int8.Loss, "rounding trained weights to 15 levels costs more than to 255; the evaluation must use the file's grid");
    }

    [Fact]
    public void Its_section_round_trips_the_observed_ranges()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 10, accumulation: 1, new QuantizationAwareSpec { DelayFraction = 0.5 });
        using var trained = MethodTesting.Train(spec);
        using var fresh = TrainingSession.Prepare(spec, CPU);
        var method = fresh.Method<QuantizationAwareMethod>()!;

        method.Load(MethodTesting.ThroughBytes(trained.Method<QuantizationAwareMethod>()!, trained), fresh);

        MethodTesting.SectionBytes(fresh).Should().BeEquivalentTo(MethodTesting.SectionBytes(trained), o => o.WithStrictOrdering());
        var ranges = CompactModelFile.Read(trained.Method<QuantizationAwareMethod>()!.ExportedModel!).ActivationRanges;
        ranges.Values.Should().OnlyContain(r => r[1] > r[0], "ten training steps observed a real range for every layer, so the comparison is not of zeros");
    }

    [Fact]
    public void Activation_ranges_stop_updating_at_the_freeze_and_the_export_holds_the_frozen_ranges()
    {
        var spec = MethodTesting.Digits(PrecisionKind.Fp32, steps: 20, accumulation: 1, new QuantizationAwareSpec { DelayFraction = 0.2, FreezeRangesFraction = 0.5 });
        using var state = TrainingSession.Prepare(spec, CPU);
        var sections = new SectionsAtStepEnd();
        new TrainingLoop([.. TrainingSession.StandardObservers(spec), sections], NullLogger.Instance).Run(state);

        var frozen = sections.After[10];
        sections.After.Where(s => s.Key > 10).Should().OnlyContain(s => s.Value.SequenceEqual(frozen), "no step from the freeze (step 10) on moves a range");
        sections.After[9].SequenceEqual(frozen).Should().BeFalse("the tenth step (index 9), the last before the freeze, still observed its batch");
        var method = state.Method<QuantizationAwareMethod>()!;
        method.Report(state)["freezeRangesStep"]!.GetValue<long>().Should().Be(10);
        MethodTesting.SectionBytes(state)[0].Should().Equal(frozen, "the ranges the run ends with, and so exports, are the frozen ones");
    }

    [Fact]
    public void On_the_gpt_every_linear_layer_input_is_observed_and_exported_with_its_range()
    {
        using var text = new MoeTesting();
        var gpt = text.Spec(moe: null, steps: 10);
        var spec = gpt with { Training = gpt.Training with { Methods = [new QuantizationAwareSpec { DelayFraction = 0.5 }] } };
        using var state = MethodTesting.Train(spec);

        var ranges = CompactModelFile.Read(state.Method<QuantizationAwareMethod>()!.ExportedModel!).ActivationRanges;

        ranges.Keys.Should().BeEquivalentTo(WeightLayers.Of(state.Network.Module).Select(l => l.WeightName), "the blocks' and the head's linear layers run through call(), which runs the observing hooks (forward() skips them)");
        ranges.Values.Should().OnlyContain(r => r[1] > r[0]);
    }

    /// <summary>Every stateful method's section bytes after each step, by the number of steps done.</summary>
    private sealed class SectionsAtStepEnd : ITrainingObserver
    {
        public Dictionary<long, byte[]> After { get; } = [];

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepEnd) After[state.Step] = MethodTesting.SectionBytes(state).Single();
        }
    }
}
