using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Export;
using GreenTrain.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// Scores an exported quantised model as integer inference would run it: a fresh network gets the file's int8-held
/// weights dequantised (q s) and its fp32 rest, and each layer's input is rounded to the grid of the range stored in
/// the file, at the activation bit width its header names (int8 when it names none). Nothing of the training run's
/// fake-quantisation path is used.
/// </summary>
public static class Int8Evaluation
{
    public static SplitScore Evaluate(TrainingState state, byte[] file, IDataSplit split, int batchSize)
    {
        var generator = get_rng_state(); // building a network draws initial weights; the run's generator must not notice
        try
        {
            using var scope = NewDisposeScope();
            var contents = CompactModelFile.Read(file);
            var network = NetworkFactory.Create(state.Spec.Model, state.Data);
            network.Module.to(state.Device);
            using (no_grad())
            {
                foreach (var (name, parameter) in network.Module.named_parameters()) parameter.copy_(contents.Tensors[name]);
                foreach (var (name, buffer) in network.Module.named_buffers())
                {
                    if (contents.Tensors.TryGetValue(name, out var value)) buffer.copy_(value);
                }
            }

            var layers = WeightLayers.Of(network.Module).Where(l => contents.ActivationRanges.ContainsKey(l.WeightName)).ToList();
            using var ranges = new ActivationRanges(layers, state.Device, momentum: null) { Observe = false, Quantize = true, Bits = contents.Quantization.ActivationBits };
            using (no_grad())
            {
                foreach (var layer in layers)
                {
                    var (min, max) = ranges.Ranges[layer.WeightName];
                    var stored = contents.ActivationRanges[layer.WeightName];
                    min.fill_(stored[0]);
                    max.fill_(stored[1]);
                    ranges.MarkSeen(layer.WeightName);
                }
            }
            var (loss, accuracy) = Evaluator.Evaluate(network, split, batchSize, null, ScalarType.Float32);
            network.Module.Dispose();
            return new SplitScore(loss, accuracy);
        }
        finally
        {
            set_rng_state(generator);
            generator.Dispose();
        }
    }

    /// <summary>The ranges as the file stores them: [min, max] per layer weight name (one host sync per layer).</summary>
    public static Dictionary<string, float[]> RangesOf(ActivationRanges ranges) =>
        ranges.Seen.ToDictionary(n => n, n => new[] { ranges.Ranges[n].Min.item<float>(), ranges.Ranges[n].Max.item<float>() });
}
