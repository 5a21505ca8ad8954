using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.StructuredSparsity;

/// <summary>
/// N:M sparsity masks as NVIDIA's ASP computes them (its "m4n2_1d" pattern): in every group of M
/// consecutive weights along a layer's input (the reduction dimension of its matrix product), keep the N
/// of largest magnitude. A convolution's row is its filter flattened (in x kh x kw).
/// </summary>
public static class NmSparsity
{
    /// <summary>A layer fits when each output row splits into whole groups; ASP skips the layers that do not.</summary>
    public static bool Fits(long[] shape, int groupSize) =>
        shape.Length >= 2 && shape.Skip(1).Aggregate(1L, (a, b) => a * b) % groupSize == 0;

    public static Tensor Mask(Tensor weight, int keep, int groupSize)
    {
        if (!Fits(weight.shape, groupSize)) throw new ArgumentException($"a row of shape [{string.Join(", ", weight.shape)}] does not split into groups of {groupSize}");
        using var scope = NewDisposeScope();
        var groups = weight.detach().abs().reshape(-1, groupSize);
        var (_, largest) = groups.topk(keep, dim: 1, largest: true, sorted: false);
        var mask = zeros(groups.shape, ScalarType.Bool, weight.device).scatter_(1, largest, ones(largest.shape, ScalarType.Bool, weight.device));
        return mask.view(weight.shape).MoveToOuterDisposeScope();
    }
}
