using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Export;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// Post-training quantization of a trained dense model, the baseline QAT must beat: weights quantised per channel
/// as they are, layer-input ranges calibrated as the min and max over the first training batches (in eval
/// mode, so batch norm and dropout do not change), then exported in the same file format QAT exports, at the bit
/// widths given (int8 unless told; compare a QAT run with the PTQ of its own widths).
/// </summary>
public static class PostTrainingQuantization
{
    public static byte[] Export(TrainingState state, QuantizationGrid? grid = null, int calibrationBatches = 8, int batchSize = 256)
    {
        var module = state.Network.Module;
        var layers = WeightLayers.Of(module);
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var ranges = new ActivationRanges(layers, state.Device, momentum: null) { Calibrating = true };
            using (no_grad())
            {
                var train = state.Data.Train;
                for (var b = 0; b < calibrationBatches && b * batchSize < train.Count; b++)
                {
                    using var scope = NewDisposeScope();
                    var count = Math.Min(batchSize, train.Count - b * batchSize);
                    var batch = train.Gather(arange(b * batchSize, b * batchSize + count, dtype: ScalarType.Int64, device: state.Device));
                    var input = batch.Input.is_floating_point() ? batch.Input.to(state.Parameters.ComputeType) : batch.Input;
                    module.forward(input);
                }
            }
            var weights = layers.Select(l => l.WeightName).ToHashSet();
            return ModelExport.Export(state, name => weights.Contains(name) ? TensorEncoding.Int8PerChannel : TensorEncoding.Float32, Int8Evaluation.RangesOf(ranges), grid);
        }
        finally
        {
            module.train(wasTraining);
        }
    }
}
