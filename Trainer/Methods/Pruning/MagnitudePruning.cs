using GreenTrain.ServiceDefaults.Contracts.Methods;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Pruning;

/// <summary>The maths of gradual magnitude pruning (Zhu and Gupta, 2017, arXiv:1710.01878).</summary>
public static class MagnitudePruning
{
    /// <summary>The first pruning step t0 and the step n*dt later at which the final sparsity is reached.</summary>
    public static (long Start, long End) Window(MagnitudePruningSpec spec, long totalSteps)
    {
        var start = (long)Math.Round(spec.StartFraction * totalSteps);
        var end = Math.Max(start, (long)Math.Round(spec.EndFraction * totalSteps));
        return (start, end);
    }

    /// <summary>
    /// s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n dt))^3 for t in [t0, t0 + n dt]: prunes fast while the
    /// network has many redundant weights and slowly as few remain. Before t0, 0; after, s_f.
    /// </summary>
    public static double SparsityAt(long step, long start, long end, double initial, double final)
    {
        if (step < start) return 0;
        if (step >= end || end == start) return final;
        var progress = (double)(step - start) / (end - start);
        return final + (initial - final) * Math.Pow(1 - progress, 3);
    }

    /// <summary>Whether t is a pruning step: t0, t0 + dt, ... up to and including the end.</summary>
    public static bool IsPruningStep(long step, long start, long end, int every) =>
        step >= start && step <= end && ((step - start) % every == 0 || step == end);

    /// <summary>
    /// Keeps the largest-magnitude weights of one layer so that floor(sparsity * n) are pruned (false in
    /// the mask). Weights pruned before have magnitude 0, so masks only grow, as the paper's do.
    /// </summary>
    public static Tensor Mask(Tensor weight, double sparsity)
    {
        using var scope = NewDisposeScope();
        var mask = MaskOfLargest(weight.detach().abs().flatten(), (long)Math.Floor(sparsity * weight.numel()));
        return mask.view(weight.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Masks for several layers with one threshold: the <paramref name="pruned"/> smallest magnitudes over all of
    /// them are pruned, wherever they lie, so each layer's sparsity follows from its own weights' sizes.
    /// </summary>
    public static List<Tensor> GlobalMasks(IReadOnlyList<Tensor> weights, long pruned)
    {
        using var scope = NewDisposeScope();
        var magnitudes = cat([.. weights.Select(w => w.detach().abs().flatten())], 0);
        var all = MaskOfLargest(magnitudes, Math.Min(pruned, magnitudes.shape[0]));
        var masks = new List<Tensor>();
        long offset = 0;
        foreach (var weight in weights)
        {
            masks.Add(all.narrow(0, offset, weight.numel()).view(weight.shape).clone().MoveToOuterDisposeScope());
            offset += weight.numel();
        }
        return masks;
    }

    /// <summary>A flat mask that keeps all but the <paramref name="pruned"/> smallest entries of <paramref name="magnitudes"/>.</summary>
    private static Tensor MaskOfLargest(Tensor magnitudes, long pruned)
    {
        using var scope = NewDisposeScope();
        var count = magnitudes.shape[0];
        var mask = ones(count, ScalarType.Bool, magnitudes.device);
        if (pruned > 0)
        {
            var (_, keep) = magnitudes.topk((int)(count - pruned), largest: true, sorted: false);
            mask = zeros(count, ScalarType.Bool, magnitudes.device).index_fill_(0, keep, true);
        }
        return mask.MoveToOuterDisposeScope();
    }
}
