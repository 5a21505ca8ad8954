using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods;
using GreenTrain.Trainer.Methods.Export;
using GreenTrain.Trainer.Methods.Pruning;
using GreenTrain.Trainer.Methods.Quantization;
using GreenTrain.Trainer.Methods.StructuredSparsity;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Export;

/// <summary>
/// The int8 and sparse exports of a run that trained for them, as state_dicts others load (safetensors and model.pt),
/// beside the fp32 files. Naming, one weight W of a linear or convolution layer L (W = "L.weight"):
/// <list type="bullet">
/// <item>int8 (quantization-aware runs): W is int8, symmetric per output channel, its levels within
/// +-(2^(weightBits-1) - 1) (+-127 for an int8 run, +-7 for 4 bits); "W_scale" (fp32, one per output
/// channel, dimension 0) gives w = q x scale, as torch.ao's reference modules name it; when the run quantised
/// activations, "L.input_scale" and "L.input_zero_point" (fp32, one element) give the grid of L's input:
/// x' = (clamp(round(x / s) + z, -2^(a-1), 2^(a-1) - 1) - z) x s with a = activationBits ([-128, 127] at 8).
/// model.json lists both widths with the set.</item>
/// <item>sparse (pruned runs): W is replaced by "W_mask" (uint8, the non-zero elements as bits, element i in bit
/// i % 8 of byte i / 8, row-major) and "W_values" (fp32, the non-zeros in row-major order); W's shape is in model.json.</item>
/// </list>
/// Everything else (biases, norms, batch-norm statistics) is fp32 under its own name.
/// </summary>
public static class CompressedModelFiles
{
    public const string Int8Encoding = "int8-per-channel";
    public const string SparseEncoding = "sparse-bitmask";

    /// <summary>The exports this run's methods call for, each written as safetensors and state_dict.</summary>
    public static IReadOnlyList<ModelFileSet> Write(string folder, TrainingState state, IReadOnlyDictionary<string, Tensor> dense)
    {
        var sets = new List<ModelFileSet>();
        var weights = WeightLayers.Of(state.Network.Module).Select(l => l.WeightName).ToList();
        if (state.Methods.OfType<QuantizationAwareMethod>().FirstOrDefault() is { ExportedModel: { } exported })
        {
            var contents = CompactModelFile.Read(exported);
            sets.Add(WriteSet(folder, "model-int8", Int8Encoding, weights, Int8(dense, weights, contents), contents.Quantization));
        }
        if (state.Methods.Any(m => m is MagnitudePruningMethod or StructuredSparsityMethod))
        {
            sets.Add(WriteSet(folder, "model-sparse", SparseEncoding, weights, Sparse(dense, weights)));
        }
        return sets;
    }

    private static ModelFileSet WriteSet(string folder, string stem, string encoding, IReadOnlyList<string> weights, Dictionary<string, Tensor> tensors, QuantizationGrid? grid = null)
    {
        try
        {
            var set = new ModelFileSet(encoding, stem + ".safetensors", stem + ".pt", weights,
                tensors.ToDictionary(t => t.Key, t => t.Value.shape), tensors.ToDictionary(t => t.Key, t => t.Value.dtype.ToString().ToLowerInvariant()), grid?.WeightBits, grid?.ActivationBits);
            ModelFiles.WriteWeights(Path.Combine(folder, set.Safetensors), Path.Combine(folder, set.StateDict), tensors);
            return set;
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>The same weight levels and activation grids, at the same widths, the run's export was scored with (FakeQuantization's functions on the fp32 master).</summary>
    private static Dictionary<string, Tensor> Int8(IReadOnlyDictionary<string, Tensor> dense, IReadOnlyList<string> weights, CompactModelFile.Contents exported)
    {
        foreach (var tensor in exported.Tensors.Values) tensor.Dispose();
        var bits = exported.Quantization;
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, value) in dense)
        {
            if (!weights.Contains(name))
            {
                result[name] = value.clone();
                continue;
            }
            var scales = FakeQuantization.WeightScales(value, bits.WeightBits);
            result[name] = FakeQuantization.QuantizeWeights(value, scales, bits.WeightBits);
            result[name + "_scale"] = scales;
            if (exported.ActivationRanges.TryGetValue(name, out var range))
            {
                using var min = tensor(new[] { range[0] });
                using var max = tensor(new[] { range[1] });
                var (scale, zeroPoint) = FakeQuantization.ActivationGrid(min, max, bits.ActivationBits);
                var layer = name[..^".weight".Length];
                result[layer + ".input_scale"] = scale;
                result[layer + ".input_zero_point"] = zeroPoint;
            }
        }
        return result;
    }

    private static Dictionary<string, Tensor> Sparse(IReadOnlyDictionary<string, Tensor> dense, IReadOnlyList<string> weights)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, value) in dense)
        {
            if (!weights.Contains(name))
            {
                result[name] = value.clone();
                continue;
            }
            using var flat = value.flatten();
            using var keep = flat.ne(0);
            var kept = keep.data<bool>().ToArray();
            var bits = new byte[(kept.Length + 7) / 8];
            for (var i = 0; i < kept.Length; i++)
            {
                if (kept[i]) bits[i >> 3] |= (byte)(1 << (i & 7));
            }
            result[name + "_mask"] = tensor(bits, ScalarType.Byte);
            result[name + "_values"] = flat.masked_select(keep);
        }
        return result;
    }
}

/// <summary>One export of the weights beside the fp32 one, as model.json lists it.</summary>
/// <param name="Encoding">int8-per-channel or sparse-bitmask (naming in <see cref="CompressedModelFiles"/>).</param>
/// <param name="EncodedWeights">The layer weights stored in that encoding; every other tensor is fp32 as in model.pt.</param>
/// <param name="Tensors">Every tensor in the files with its shape.</param>
/// <param name="Dtypes">Every tensor's element type (float32, int8, byte).</param>
/// <param name="WeightBits">For int8-per-channel: the weights' bit width (their levels lie within +-(2^(bits-1) - 1)); null for sparse.</param>
/// <param name="ActivationBits">For int8-per-channel: the bit width of the layer inputs' grids; null for sparse.</param>
public sealed record ModelFileSet(string Encoding, string Safetensors, string StateDict, IReadOnlyList<string> EncodedWeights,
    IReadOnlyDictionary<string, long[]> Tensors, IReadOnlyDictionary<string, string> Dtypes, int? WeightBits = null, int? ActivationBits = null);
