using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// The input range of each quantised layer, observed through a forward pre-hook: an exponential moving
/// average of each batch's min and max while training (QAT), or the running min and max over calibration
/// batches (post-training quantization). When Quantize is on, the hook fake-quantises the layer's input
/// with that range on a grid of 2^Bits levels. The ranges stay on the device: observing costs no host sync.
/// </summary>
public sealed class ActivationRanges : IDisposable
{
    private readonly Dictionary<string, (Tensor Min, Tensor Max)> _ranges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Action> _removeHooks = [];

    /// <param name="momentum">Weight of the old range in the average; null keeps the running min and max instead.</param>
    public ActivationRanges(IEnumerable<WeightLayers.Layer> layers, Device device, double? momentum)
    {
        Momentum = momentum;
        foreach (var layer in layers)
        {
            var name = layer.WeightName;
            _ranges[name] = (zeros(1, ScalarType.Float32, device).DetachFromDisposeScope(), zeros(1, ScalarType.Float32, device).DetachFromDisposeScope());
            var hook = layer.Module.register_forward_pre_hook((module, input) => OnInput(name, module.training, input));
            _removeHooks.Add(hook.remove);
        }
    }

    public double? Momentum { get; }

    /// <summary>Update the ranges from the inputs seen (training only, unless Calibrating).</summary>
    public bool Observe { get; set; } = true;

    /// <summary>Observe in eval mode too: post-training calibration runs the model without dropout or batch-norm updates.</summary>
    public bool Calibrating { get; set; }

    public bool Quantize { get; set; }

    /// <summary>The activation bit width Quantize rounds to (8: int8's 256 levels).</summary>
    public int Bits { get; init; } = 8;

    public IReadOnlyDictionary<string, (Tensor Min, Tensor Max)> Ranges => _ranges;

    /// <summary>Layers whose range has been observed at least once (an unobserved range is not used to quantise).</summary>
    public IReadOnlyCollection<string> Seen => _seen;

    public void MarkSeen(string name) => _seen.Add(name);

    private Tensor OnInput(string name, bool training, Tensor input)
    {
        var (min, max) = _ranges[name];
        if (Observe && (training || Calibrating)) Update(name, min, max, input);
        return Quantize && _seen.Contains(name) ? FakeQuantization.FakeQuantizeActivations(input, min, max, Bits) : input;
    }

    private void Update(string name, Tensor min, Tensor max, Tensor input)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var flat = input.detach().to(ScalarType.Float32);
        var batchMin = flat.min().view(1);
        var batchMax = flat.max().view(1);
        if (_seen.Add(name))
        {
            min.copy_(batchMin);
            max.copy_(batchMax);
        }
        else if (Momentum is { } m)
        {
            min.mul_(m).add_(batchMin, alpha: 1 - m);
            max.mul_(m).add_(batchMax, alpha: 1 - m);
        }
        else
        {
            min.copy_(minimum(min, batchMin));
            max.copy_(maximum(max, batchMax));
        }
    }

    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        foreach (var (min, max) in _ranges.Values)
        {
            min.Dispose();
            max.Dispose();
        }
    }
}
