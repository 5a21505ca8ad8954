using System.Text.Json.Nodes;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Engine.Optimizers;
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
        ZeroPruned(parameters.Master, parameters);
        if (parameters.HasSeparateCompute) ZeroPruned(parameters.Compute, parameters);
    }

    /// <summary>
    /// Zeroes the pruned weights' gradients before clipping, so that weights which no longer exist neither count in
    /// the global gradient norm (which would shrink the live weights' steps) nor feed the optimizer's moments.
    /// </summary>
    public void ZeroGradients(FlatParameters parameters) => ZeroPruned(parameters.MasterGrad, parameters);

    /// <summary>
    /// Zeroes the optimizer's per-weight state (AdamW's moments, SGD's velocity) of the pruned weights, when a mask
    /// grows: with zero state and zero gradients the optimizer itself leaves a pruned weight at zero, instead of
    /// stepping it on momentum left from before it was pruned.
    /// </summary>
    public void ZeroOptimizerState(IFlatOptimizer optimizer, FlatParameters parameters)
    {
        foreach (var tensor in optimizer.State.Values.Where(t => t.shape.Length == 1 && t.shape[0] == parameters.Count))
        {
            ZeroPruned(tensor, parameters);
        }
    }

    /// <summary>Zeroes the pruned entries of a flat tensor laid out as the parameters are.</summary>
    private void ZeroPruned(Tensor flat, FlatParameters parameters)
    {
        using var noGrad = no_grad();
        foreach (var (name, mask) in _masks)
        {
            using var pruned = mask.logical_not();
            using var view = FlatParameters.View(flat, parameters.SlotOf(name)!);
            view.masked_fill_(pruned, 0);
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
