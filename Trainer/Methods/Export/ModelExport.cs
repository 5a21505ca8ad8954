using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Quantization;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Export;

/// <summary>
/// A run's model as a CompactModelFile: the fp32 master weights (never a 16-bit or fake-quantised copy),
/// the model's buffers (batch-norm statistics) in fp32, each tensor in the encoding the caller picks.
/// </summary>
public static class ModelExport
{
    /// <param name="encodingOf">The encoding of a parameter by name; buffers are always fp32.</param>
    /// <param name="grid">The bit widths of Int8PerChannel weights and of the ranges, stored in the header; null: int8.</param>
    public static byte[] Export(TrainingState state, Func<string, TensorEncoding> encodingOf, IReadOnlyDictionary<string, float[]>? activationRanges = null, QuantizationGrid? grid = null)
    {
        using var scope = NewDisposeScope();
        var master = state.Parameters.MasterByName();
        var tensors = state.Network.Module.named_parameters().Select(p => (p.name, master[p.name], encodingOf(p.name)))
            .Concat(state.Network.Module.named_buffers().Where(b => b.buffer.is_floating_point()).Select(b => (b.name, b.buffer, TensorEncoding.Float32)));
        return CompactModelFile.Write(tensors, activationRanges, grid);
    }

    /// <summary>Dense fp32: the baseline size.</summary>
    public static byte[] Dense(TrainingState state) => Export(state, _ => TensorEncoding.Float32);

    /// <summary>The layers' weights as bitmask plus non-zeros; everything else fp32.</summary>
    public static byte[] Sparse(TrainingState state)
    {
        var layers = WeightLayers.Of(state.Network.Module).Select(l => l.WeightName).ToHashSet();
        return Export(state, name => layers.Contains(name) ? TensorEncoding.SparseFloat32 : TensorEncoding.Float32);
    }
}
