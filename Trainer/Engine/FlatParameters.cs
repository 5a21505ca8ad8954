using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// All of a model's parameters and gradients as views of one flat buffer each, so the optimizer,
/// clipping and precision casts are a handful of kernels over one tensor instead of several per
/// parameter (PyTorch's foreach/fused AdamW gets the same effect). Matrices and kernels come first,
/// so weight decay applies to the slice [0, DecayCount) and skips biases and norm weights.
///
/// Master holds the fp32 weights the optimizer updates. In fp32 training the model's parameters are
/// views of Master itself; with a 16-bit compute type (UseComputeType) they are views of Compute, a
/// 16-bit copy refreshed once per optimizer step, and their gradients land in ComputeGrad. A method that
/// computes with something other than the master's plain values (fake-quantised weights) asks for a
/// separate fp32 copy (UseSeparateCompute) and adds a ComputeTransform, which RefreshCompute applies.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    private readonly nn.Module _module;
    private readonly List<Slot> _layout;

    private FlatParameters(nn.Module module, List<Slot> layout, Tensor master, Tensor masterGrad, long decayCount)
    {
        _module = module;
        _layout = layout;
        Master = master;
        MasterGrad = masterGrad;
        Compute = master;
        ComputeGrad = masterGrad;
        DecayCount = decayCount;
    }

    /// <summary>A parameter's place in the flat buffers.</summary>
    public sealed record Slot(string Name, long Offset, long[] Shape)
    {
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    }

    public Tensor Master { get; }

    public Tensor MasterGrad { get; }

    /// <summary>The buffer the model computes with: Master itself in fp32, else a 16-bit copy.</summary>
    public Tensor Compute { get; private set; }

    public Tensor ComputeGrad { get; private set; }

    public ScalarType ComputeType => Compute.dtype;

    public bool HasSeparateCompute => !ReferenceEquals(Compute, Master);

    /// <summary>Elements at the start of Master that receive weight decay.</summary>
    public long DecayCount { get; }

    public long Count => Master.shape[0];

    public IReadOnlyList<Slot> Layout => _layout;

    /// <summary>Applied in order after each refresh of Compute from Master (fake quantization writes its rounded weights here).</summary>
    public List<Action<FlatParameters>> ComputeTransforms { get; } = [];

    /// <summary>Compute := transforms(Master): once per optimizer step, by whichever method owns the separate copy.</summary>
    public void RefreshCompute()
    {
        if (!HasSeparateCompute) return;
        using var noGrad = no_grad();
        Compute.copy_(Master);
        foreach (var transform in ComputeTransforms) transform(this);
    }

    /// <summary>
    /// In fp32, gives the model its own copy of the weights to compute with while gradients still land in
    /// MasterGrad directly (same type, nothing to cast). Does nothing when a 16-bit copy already exists.
    /// </summary>
    public void UseSeparateCompute()
    {
        if (HasSeparateCompute) return;
        Compute = Master.clone().DetachFromDisposeScope();
        ComputeGrad = MasterGrad;
        Bind(Compute, ComputeGrad, copyValues: false);
    }

    /// <summary>The slot of the parameter named <paramref name="name"/>, or null.</summary>
    public Slot? SlotOf(string name) => _layout.FirstOrDefault(s => s.Name == name);

    /// <summary>A parameter's slice of a flat buffer (Master, Compute or a gradient), in the parameter's shape.</summary>
    public static Tensor View(Tensor flat, Slot slot) => flat.narrow(0, slot.Offset, slot.Count).view(slot.Shape);

    /// <summary>Moves the module's parameters into fresh flat fp32 buffers on the module's device.</summary>
    public static FlatParameters Flatten(nn.Module module)
    {
        var parameters = module.named_parameters().ToList();
        var ordered = parameters.Where(p => p.parameter.dim() >= 2).Concat(parameters.Where(p => p.parameter.dim() < 2)).ToList();
        var layout = new List<Slot>(ordered.Count);
        long offset = 0;
        foreach (var (name, parameter) in ordered)
        {
            layout.Add(new Slot(name, offset, parameter.shape));
            offset += parameter.numel();
        }

        var device = ordered[0].parameter.device;
        var master = zeros(offset, ScalarType.Float32, device).DetachFromDisposeScope();
        var masterGrad = zeros(offset, ScalarType.Float32, device).DetachFromDisposeScope();
        var decayCount = ordered.Where(p => p.parameter.dim() >= 2).Sum(p => p.parameter.numel());
        var flat = new FlatParameters(module, layout, master, masterGrad, decayCount);
        flat.Bind(master, masterGrad, copyValues: true);
        return flat;
    }

    /// <summary>
    /// Makes the model compute in a 16-bit type: casts the module (parameters and buffers such as batch
    /// norm statistics), and points its parameters at a 16-bit copy of Master and its gradients at ComputeGrad.
    /// </summary>
    public void UseComputeType(ScalarType type)
    {
        if (type == ComputeType) return;
        _module.to(type);
        Compute = Master.to(type).DetachFromDisposeScope();
        ComputeGrad = zeros_like(Compute).DetachFromDisposeScope();
        Bind(Compute, ComputeGrad, copyValues: false);
    }

    private void Bind(Tensor values, Tensor gradients, bool copyValues)
    {
        var parameters = _module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var slot in _layout)
        {
            var parameter = parameters[slot.Name];
            using var view = values.narrow(0, slot.Offset, slot.Count).view(slot.Shape);
            if (copyValues) view.copy_(parameter);
            parameter.set_(view);
            parameter.grad = gradients.narrow(0, slot.Offset, slot.Count).view(slot.Shape);
        }
    }

    /// <summary>Master's values as a named dictionary in each parameter's shape (for checkpoints and tests).</summary>
    public Dictionary<string, Tensor> MasterByName() =>
        _layout.ToDictionary(s => s.Name, s => Master.narrow(0, s.Offset, s.Count).view(s.Shape));

    public void Dispose()
    {
        if (HasSeparateCompute)
        {
            Compute.Dispose();
            if (!ReferenceEquals(ComputeGrad, MasterGrad)) ComputeGrad.Dispose();
        }

        Master.Dispose();
        MasterGrad.Dispose();
    }
}
