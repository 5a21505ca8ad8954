using System.Text.Json.Nodes;
using GreenTrain.Trainer.Engine;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Pruning;

/// <summary>
/// The pruning masks of a run, one boolean tensor per layer weight (true = kept), and what every pruning
/// method does with them: zero the pruned weights in the fp32 master and in the 16-bit compute copy alike,
/// save and load them as a checkpoint section, and report the sparsity each layer actually has.
/// </summary>
public sealed class WeightMasks : IDisposable
{
    private readonly Dictionary<string, Tensor> _masks = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Layers => _masks.Keys;

    public bool IsEmpty => _masks.Count == 0;

    public void Set(string weightName, Tensor mask)
    {
        if (_masks.Remove(weightName, out var old)) old.Dispose();
        _masks[weightName] = mask.DetachFromDisposeScope();
    }

    public Tensor? Get(string weightName) => _masks.GetValueOrDefault(weightName);

    /// <summary>Zeroes every pruned weight in Master and, when the model computes from its own copy, in Compute too.</summary>
    public void Apply(FlatParameters parameters)
    {
        using var noGrad = no_grad();
        foreach (var (name, mask) in _masks)
        {
            var slot = parameters.SlotOf(name)!;
            using var pruned = mask.logical_not();
            using (var master = FlatParameters.View(parameters.Master, slot)) master.masked_fill_(pruned, 0);
            if (parameters.HasSeparateCompute)
            {
                using var compute = FlatParameters.View(parameters.Compute, slot);
                compute.masked_fill_(pruned, 0);
            }
        }
    }

    public IEnumerable<(string Name, Tensor Tensor)> ForSection() => _masks.Select(m => ($"mask.{m.Key}", m.Value));

    /// <summary>Takes back the masks a checkpoint holds for the given layers (those not yet pruned have none).</summary>
    public void Load(MethodSection section, IEnumerable<string> layers, FlatParameters parameters, Device device)
    {
        foreach (var name in layers)
        {
            if (!section.Tensors.ContainsKey($"mask.{name}")) continue;
            var slot = parameters.SlotOf(name)!;
            var mask = empty(slot.Shape, ScalarType.Bool, device);
            section.CopyInto($"mask.{name}", mask);
            Set(name, mask);
        }
    }

    /// <summary>Achieved sparsity per layer, counted from the master weights (one host sync per layer; for the result only).</summary>
    public static JsonObject SparsityReport(FlatParameters parameters, IEnumerable<string> layers)
    {
        var perLayer = new JsonObject();
        long total = 0, zeros = 0;
        foreach (var name in layers)
        {
            var slot = parameters.SlotOf(name)!;
            using var view = FlatParameters.View(parameters.Master, slot);
            using var isZero = view.eq(0);
            using var count = isZero.sum();
            var layerZeros = count.item<long>();
            perLayer[name] = new JsonObject { ["weights"] = slot.Count, ["zeros"] = layerZeros, ["sparsity"] = Math.Round((double)layerZeros / slot.Count, 4) };
            total += slot.Count;
            zeros += layerZeros;
        }
        return new JsonObject { ["sparsity"] = total == 0 ? 0 : Math.Round((double)zeros / total, 4), ["prunedWeights"] = total, ["layers"] = perLayer };
    }

    public void Dispose()
    {
        foreach (var mask in _masks.Values) mask.Dispose();
        _masks.Clear();
    }
}
