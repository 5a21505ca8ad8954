using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Export;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// Quantization-aware training to the spec's bit widths, int8 by default (FakeQuantization has the maths). Weights: the model computes with
/// fake-quantised copies of the fp32 master weights, so the optimizer updates the latent fp32 weights with
/// the gradient taken at the rounded ones (the straight-through estimator). Activations: a forward pre-hook
/// on each layer rounds its input to the grid of its observed range (ActivationRanges).
/// <code>
/// Init                 hook every linear and convolution layer's input (ranges observed from the first step)
/// FitStart             a separate compute copy (fp32 runs; 16-bit runs already have one) whose refresh rounds the
///                      layer weights once fake quantization is on (after delayFraction of the run)
/// AfterOptimizerStep   turn fake quantization on at the delay, and stop observing ranges at freezeRangesFraction;
///                      refresh the copy when this method owns it (reverse order: pruning masks the master first;
///                      mixed precision refreshes after)
/// FitEnd               export the weight levels (int8 containers) with their scales, the ranges and the bit widths,
///                      and score the export on the test split
/// </code>
/// </summary>
public sealed class QuantizationAwareMethod(QuantizationAwareSpec spec) : IStatefulMethod, IReportingMethod, IDisposable
{
    private List<WeightLayers.Layer> _layers = [];
    private ActivationRanges? _ranges;
    private bool _ownsCompute, _active;
    private long _delay, _freeze;
    private JsonObject? _export;

    public string Name => "quantization-aware";

    /// <summary>The bit widths this run trains for and exports at (the spec's bits and activationBits).</summary>
    public QuantizationGrid Grid { get; } = new(spec.Bits, spec.ActivationBits);

    /// <summary>The quantised model file (int8 containers, the widths in its header) written at the end of the run; null before.</summary>
    public byte[]? ExportedModel { get; private set; }

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.FitStart or TrainingEvent.AfterOptimizerStep
        || (trainingEvent == TrainingEvent.FitEnd && !state.Suspended);

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        var parameters = trainingEvent == TrainingEvent.Init ? null : state.Parameters;
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                _layers = WeightLayers.Of(state.Network.Module);
                if (spec.QuantizeActivations) _ranges = new ActivationRanges(_layers, state.Device, spec.RangeMomentum) { Bits = Grid.ActivationBits };
                break;
            case TrainingEvent.FitStart:
                _delay = (long)Math.Round(spec.DelayFraction * state.TotalSteps);
                _freeze = spec.FreezeRangesFraction is { } freeze ? (long)Math.Round(freeze * state.TotalSteps) : long.MaxValue;
                ObserveFor(state.Step);
                _ownsCompute = !parameters!.HasSeparateCompute;
                parameters.UseSeparateCompute();
                parameters.ComputeTransforms.Add(RoundWeights);
                SetActive(state.Step >= _delay);
                parameters.RefreshCompute();
                break;
            case TrainingEvent.AfterOptimizerStep:
                ObserveFor(state.Step + 1);
                var changed = SetActive(state.Step + 1 >= _delay);
                if (_ownsCompute || changed) parameters!.RefreshCompute();
                break;
            case TrainingEvent.FitEnd:
                ExportAndScore(state);
                break;
        }
    }

    private bool SetActive(bool active)
    {
        var changed = active != _active;
        _active = active;
        if (_ranges is not null) _ranges.Quantize = active;
        return changed;
    }

    /// <summary>Ranges update in the forward pass of every step before the freeze (all steps without one); derived from the step, so a resume needs no state for it.</summary>
    private void ObserveFor(long step)
    {
        if (_ranges is not null) _ranges.Observe = step < _freeze;
    }

    /// <summary>The compute transform: each layer's weights rounded to their per-channel grid of the spec's width, from the master.</summary>
    private void RoundWeights(FlatParameters parameters)
    {
        if (!_active) return;
        using var scope = NewDisposeScope();
        foreach (var layer in _layers)
        {
            var slot = parameters.SlotOf(layer.WeightName)!;
            FlatParameters.View(parameters.Compute, slot).copy_(FakeQuantization.FakeQuantizeWeights(FlatParameters.View(parameters.Master, slot), Grid.WeightBits));
        }
    }

    private void ExportAndScore(TrainingState state)
    {
        var weights = _layers.Select(l => l.WeightName).ToHashSet();
        var ranges = _ranges is null ? null : Int8Evaluation.RangesOf(_ranges);
        ExportedModel = ModelExport.Export(state, name => weights.Contains(name) ? TensorEncoding.Int8PerChannel : TensorEncoding.Float32, ranges, Grid);
        var batchSize = state.Data.Task == Data.DataTask.LanguageModel ? state.Spec.Training.BatchSize : 512;
        var score = Int8Evaluation.Evaluate(state, ExportedModel, state.Data.Test, batchSize);
        _export = new JsonObject
        {
            ["bytes"] = ExportedModel.Length,
            ["testLoss"] = score.Loss,
            ["testAccuracy"] = score.Accuracy,
        };
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(
        new Saved([.. _ranges?.Seen ?? []]),
        _ranges?.Ranges.SelectMany(r => new[] { ($"min.{r.Key}", r.Value.Min), ($"max.{r.Key}", r.Value.Max) }));

    public void Load(MethodSection section, TrainingState state)
    {
        if (_ranges is null) return;
        foreach (var (name, (min, max)) in _ranges.Ranges)
        {
            section.CopyInto($"min.{name}", min);
            section.CopyInto($"max.{name}", max);
        }
        foreach (var name in section.Values<Saved>().Seen) _ranges.MarkSeen(name);
    }

    public JsonNode Report(TrainingState state) => new JsonObject
    {
        ["delayStep"] = _delay,
        ["freezeRangesStep"] = _freeze == long.MaxValue ? null : _freeze,
        ["layers"] = _layers.Count,
        ["activations"] = spec.QuantizeActivations,
        ["weightBits"] = Grid.WeightBits,
        ["activationBits"] = Grid.ActivationBits,
        ["int8Export"] = _export?.DeepClone(),
    };

    public void Dispose() => _ranges?.Dispose();

    private sealed record Saved(IReadOnlyList<string> Seen);
}
