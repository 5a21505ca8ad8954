using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// The maths of int8 quantization (Jacob et al., 2018, arXiv:1712.05877; Krishnamoorthi, 2018, arXiv:1806.08342):
/// weights symmetric with one scale per output channel (q in [-127, 127], w = q s), activations affine with one
/// range per tensor (q in [-128, 127], x = (q - z) s). Computed in fp32 whatever the input's type.
/// </summary>
public static class FakeQuantization
{
    private const double MinScale = 1e-8;

    /// <summary>Per output channel (dimension 0): max |w| over the rest, over 127.</summary>
    public static Tensor WeightScales(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var rows = weight.detach().to(ScalarType.Float32).reshape(weight.shape[0], -1);
        return rows.abs().amax([1]).div_(127).clamp_min_(MinScale).MoveToOuterDisposeScope();
    }

    /// <summary>The int8 weights: round(w / s) within [-127, 127], s broadcast along dimension 0.</summary>
    public static Tensor QuantizeWeights(Tensor weight, Tensor scales)
    {
        using var scope = NewDisposeScope();
        var perRow = scales.view([weight.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]);
        return weight.detach().to(ScalarType.Float32).div(perRow).round_().clamp_(-127, 127).to(ScalarType.Int8).MoveToOuterDisposeScope();
    }

    /// <summary>q s in fp32: what int8 weights stand for.</summary>
    public static Tensor DequantizeWeights(Tensor quantized, Tensor scales)
    {
        using var scope = NewDisposeScope();
        var perRow = scales.view([quantized.shape[0], .. Enumerable.Repeat(1L, (int)quantized.dim() - 1)]);
        return quantized.to(ScalarType.Float32).mul(perRow).MoveToOuterDisposeScope();
    }

    /// <summary>The weights rounded to their int8 grid, still in fp32 (what QAT's forward pass computes with).</summary>
    public static Tensor FakeQuantizeWeights(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var scales = WeightScales(weight);
        return DequantizeWeights(QuantizeWeights(weight, scales), scales).MoveToOuterDisposeScope();
    }

    /// <summary>Scale and zero point of the affine int8 grid over [min, max] widened to hold 0 (so zero padding is exact).</summary>
    public static (Tensor Scale, Tensor ZeroPoint) ActivationGrid(Tensor min, Tensor max)
    {
        using var scope = NewDisposeScope();
        var low = min.clamp_max(0);
        var high = max.clamp_min(0);
        var scale = high.sub(low).div_(255).clamp_min_(MinScale);
        var zeroPoint = low.div(scale).round_().neg_().sub_(128).clamp_(-128, 127);
        return (scale.MoveToOuterDisposeScope(), zeroPoint.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// x rounded to the int8 grid of [min, max], with the straight-through estimator: the gradient is 1 inside
    /// the grid's range and 0 where x was clipped (PyTorch's FakeQuantize does the same).
    /// </summary>
    public static Tensor FakeQuantizeActivations(Tensor x, Tensor min, Tensor max)
    {
        using var scope = NewDisposeScope();
        var (scale, zeroPoint) = ActivationGrid(min, max);
        var x32 = x.to(ScalarType.Float32);
        var low = zeroPoint.neg().sub_(128).mul_(scale);
        var high = zeroPoint.neg().add_(127).mul_(scale);
        var clipped = x32.clamp(low, high);
        using var noGrad = no_grad();
        var rounded = clipped.div(scale).round_().add_(zeroPoint).clamp_(-128, 127).sub_(zeroPoint).mul_(scale);
        noGrad.Dispose();
        var result = clipped + (rounded - clipped.detach());
        return result.to(x.dtype).MoveToOuterDisposeScope();
    }
}
