using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// The maths of b-bit quantization (Jacob et al., 2018, arXiv:1712.05877; Krishnamoorthi, 2018, arXiv:1806.08342):
/// weights symmetric with one scale per output channel (q in [-(2^(b-1) - 1), 2^(b-1) - 1], w = q s; 8 bits: [-127, 127]),
/// activations affine with one range per tensor (q in [-2^(b-1), 2^(b-1) - 1], x = (q - z) s; 8 bits: [-128, 127]).
/// Every width up to 8 fits an int8 container. Computed in fp32 whatever the input's type.
/// </summary>
public static class FakeQuantization
{
    private const double MinScale = 1e-8;

    /// <summary>The largest weight level of a b-bit symmetric grid: 2^(b-1) - 1 (127 at 8 bits, 7 at 4).</summary>
    public static int WeightLevels(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>The lowest and highest level of a b-bit affine grid: -2^(b-1) and 2^(b-1) - 1.</summary>
    public static (int Low, int High) ActivationLevels(int bits) => (-(1 << (bits - 1)), (1 << (bits - 1)) - 1);

    /// <summary>Per output channel (dimension 0): max |w| over the rest, over the grid's largest level (127 at 8 bits).</summary>
    public static Tensor WeightScales(Tensor weight, int bits = 8)
    {
        using var scope = NewDisposeScope();
        var rows = weight.detach().to(ScalarType.Float32).reshape(weight.shape[0], -1);
        return rows.abs().amax([1]).div_(WeightLevels(bits)).clamp_min_(MinScale).MoveToOuterDisposeScope();
    }

    /// <summary>The weights' levels in int8: round(w / s) within the b-bit grid ([-127, 127] at 8 bits), s broadcast along dimension 0.</summary>
    public static Tensor QuantizeWeights(Tensor weight, Tensor scales, int bits = 8)
    {
        var levels = WeightLevels(bits);
        using var scope = NewDisposeScope();
        var perRow = scales.view([weight.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]);
        return weight.detach().to(ScalarType.Float32).div(perRow).round_().clamp_(-levels, levels).to(ScalarType.Int8).MoveToOuterDisposeScope();
    }

    /// <summary>q s in fp32: what the stored levels stand for.</summary>
    public static Tensor DequantizeWeights(Tensor quantized, Tensor scales)
    {
        using var scope = NewDisposeScope();
        var perRow = scales.view([quantized.shape[0], .. Enumerable.Repeat(1L, (int)quantized.dim() - 1)]);
        return quantized.to(ScalarType.Float32).mul(perRow).MoveToOuterDisposeScope();
    }

    /// <summary>The weights rounded to their b-bit grid, still in fp32 (what QAT's forward pass computes with).</summary>
    public static Tensor FakeQuantizeWeights(Tensor weight, int bits = 8)
    {
        using var scope = NewDisposeScope();
        var scales = WeightScales(weight, bits);
        return DequantizeWeights(QuantizeWeights(weight, scales, bits), scales).MoveToOuterDisposeScope();
    }

    /// <summary>Scale and zero point of the affine b-bit grid over [min, max] widened to hold 0 (so zero padding is exact).</summary>
    public static (Tensor Scale, Tensor ZeroPoint) ActivationGrid(Tensor min, Tensor max, int bits = 8)
    {
        using var scope = NewDisposeScope();
        var (lowest, highest) = ActivationLevels(bits);
        var low = min.clamp_max(0);
        var high = max.clamp_min(0);
        var scale = high.sub(low).div_(highest - lowest).clamp_min_(MinScale);
        var zeroPoint = low.div(scale).round_().neg_().add_(lowest).clamp_(lowest, highest);
        return (scale.MoveToOuterDisposeScope(), zeroPoint.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// x rounded to the b-bit grid of [min, max], with the straight-through estimator: the gradient is 1 inside
    /// the grid's range and 0 where x was clipped (PyTorch's FakeQuantize does the same).
    /// </summary>
    public static Tensor FakeQuantizeActivations(Tensor x, Tensor min, Tensor max, int bits = 8)
    {
        using var scope = NewDisposeScope();
        var (lowest, highest) = ActivationLevels(bits);
        var (scale, zeroPoint) = ActivationGrid(min, max, bits);
        var x32 = x.to(ScalarType.Float32);
        var low = zeroPoint.neg().add_(lowest).mul_(scale);
        var high = zeroPoint.neg().add_(highest).mul_(scale);
        var clipped = x32.clamp(low, high);
        using var noGrad = no_grad();
        var rounded = clipped.div(scale).round_().add_(zeroPoint).clamp_(lowest, highest).sub_(zeroPoint).mul_(scale);
        noGrad.Dispose();
        var result = clipped + (rounded - clipped.detach());
        return result.to(x.dtype).MoveToOuterDisposeScope();
    }
}
