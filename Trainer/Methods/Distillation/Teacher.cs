using GreenTrain.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// A trained network that only answers: rebuilt from model files or a stored checkpoint, in eval mode, without
/// gradients. <paramref name="Digest"/> identifies its weights (SHA-256), so a resumed run can tell it still has the
/// teacher it started with.
/// </summary>
public sealed record Teacher(INetwork Network, string Source, string Digest, long[] InputShape, int Classes) : IDisposable
{
    public long ParameterCount => Network.Module.parameters().Sum(p => p.numel());

    /// <summary>The teacher's logits for one batch, in the teacher's precision, outside autograd.</summary>
    public Tensor Answer(Tensor input)
    {
        using var noGrad = no_grad();
        var dtype = Network.Module.parameters().First().dtype;
        return Network.Module.forward(input.is_floating_point() ? input.to(dtype) : input);
    }

    /// <summary>Puts the teacher on the run's device in its compute precision (the student's); it stays in eval mode.</summary>
    public void MoveTo(Device device, ScalarType computeType)
    {
        Network.Module.to(device);
        foreach (var (_, parameter) in Network.Module.named_parameters())
        {
            parameter.requires_grad = false;
        }
        if (computeType != ScalarType.Float32) Network.Module.to(computeType);
        Network.Module.eval();
    }

    public void Dispose() => Network.Module.Dispose();
}
