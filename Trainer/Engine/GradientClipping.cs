using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>Global-norm gradient clipping on the one flat gradient buffer: three kernels and no host sync.</summary>
public static class GradientClipping
{
    /// <summary>Scales the gradients so their L2 norm is at most maxNorm; returns the norm before clipping (on the device).</summary>
    public static Tensor ClipByGlobalNorm(Tensor flatGradients, double maxNorm)
    {
        var norm = flatGradients.norm();
        using var factor = (maxNorm / (norm + 1e-6)).clamp_max_(1.0);
        flatGradients.mul_(factor);
        return norm;
    }
}
