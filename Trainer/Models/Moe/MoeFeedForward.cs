using GreenTrain.ServiceDefaults.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models.Moe;

/// <summary>
/// A sparse mixture-of-experts feed-forward in place of a block's dense MLP. The router runs in fp32 whatever the
/// compute type (its input and weights are cast up; Switch's "selective precision"), because a 16-bit softmax over
/// experts makes routing unstable. Compute is sparse in fact: the kept assignments are sorted by expert, their tokens
/// gathered (index_select) into one contiguous slice per expert, each expert runs on its slice only, and the outputs,
/// times their gates, are scattered back (index_add). A token with no kept assignment gets zeros, so the block adds
/// nothing to its residual stream and it passes through unchanged.
/// </summary>
public sealed class MoeFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear router;
    private readonly ModuleList<ExpertMlp> experts;
    private readonly MoeSpec _spec;
    private Tensor? _auxiliaryLoss;

    public MoeFeedForward(int width, MoeSpec spec) : base(nameof(MoeFeedForward))
    {
        _spec = spec;
        Hidden = spec.ExpertHidden ?? 4 * width;
        router = nn.Linear(width, spec.Experts, hasBias: false);
        experts = nn.ModuleList(Enumerable.Range(0, spec.Experts).Select(_ => new ExpertMlp(width, Hidden)).ToArray());
        Load = new ExpertLoad(spec.Experts);
        RegisterComponents();
    }

    public int Experts => _spec.Experts;

    public int TopK => _spec.TopK;

    public int Hidden { get; }

    /// <summary>The load-balancing plus z-loss of the last forward pass (fp32 scalar, with its graph); null before the first.</summary>
    public Tensor? AuxiliaryLoss => _auxiliaryLoss;

    public ExpertLoad Load { get; }

    /// <summary>The routing of the last forward pass, kept only while a test asks for it.</summary>
    public Routing? LastRouting { get; private set; }

    public bool KeepRouting { get; set; }

    /// <param name="x">[batch, time, width] (the block's normalised residual stream).</param>
    /// <returns>[batch, time, width]: each token's gated sum of its kept experts' outputs, zeros for dropped tokens.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(-1, x.shape[^1]);
        var logits = nn.functional.linear(flat.to(ScalarType.Float32), router.weight!.to(ScalarType.Float32));
        var routing = TopKRouting.Route(logits, _spec.TopK, _spec.CapacityFactor);
        var auxiliary = TopKRouting.LoadBalanceLoss(routing, _spec.LoadBalanceAlpha) + TopKRouting.ZLoss(logits, _spec.RouterZLossCoef);
        Keep(ref _auxiliaryLoss, auxiliary);

        var (order, processed) = SortKeptByExpert(routing, out var routed, out var tokensDropped);
        if (training) Load.Add(routed, processed, flat.shape[0], tokensDropped);
        var kept = processed.Sum();
        var assignments = order.narrow(0, 0, kept);
        var tokens = routing.TokenOf.index_select(0, assignments);
        var gathered = flat.index_select(0, tokens);
        var outputs = new List<Tensor>(Experts);
        long start = 0;
        for (var e = 0; e < Experts; e++)
        {
            if (processed[e] == 0) continue;
            outputs.Add(experts[e].forward(gathered.narrow(0, start, processed[e])));
            start += processed[e];
        }
        var gates = routing.GateOf.index_select(0, assignments).to(flat.dtype).unsqueeze(1);
        var combined = zeros_like(flat).index_add(0, tokens, cat(outputs, 0) * gates, 1);
        if (KeepRouting) LastRouting = Detached(routing);
        return combined.view(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The kept assignments sorted by (expert, assignment number), dropped ones after them, and the host counts the
    /// expert loop needs (one read back from the device per layer).
    /// </summary>
    private (Tensor Order, long[] Processed) SortKeptByExpert(Routing routing, out long[] routed, out long tokensDropped)
    {
        var count = routing.ExpertOf.shape[0];
        var number = arange(count, ScalarType.Int64, routing.ExpertOf.device);
        var key = routing.ExpertOf.masked_fill(routing.Kept.logical_not(), Experts) * count + number;
        var order = key.sort().Indices;
        var keptPerToken = zeros(routing.TokenOf.shape[0] / TopK, ScalarType.Int64, key.device).index_add(0, routing.TokenOf, routing.Kept.to(ScalarType.Int64), 1);
        var counts = cat([
            routing.ExpertOf.bincount(null, Experts),
            routing.ExpertOf.masked_select(routing.Kept).bincount(null, Experts),
            keptPerToken.eq(0).sum().unsqueeze(0)], 0).cpu();
        var host = counts.data<long>().ToArray();
        routed = host[..Experts];
        tokensDropped = host[^1];
        return (order, host[Experts..(2 * Experts)]);
    }

    private static void Keep(ref Tensor? field, Tensor value)
    {
        field?.Dispose();
        field = value.DetachFromDisposeScope();
    }

    private Routing Detached(Routing r)
    {
        if (LastRouting is { } last) foreach (var t in new[] { last.Probabilities, last.ExpertOf, last.TokenOf, last.GateOf, last.Kept }) t.Dispose();
        return r with
        {
            Probabilities = r.Probabilities.detach().DetachFromDisposeScope(), ExpertOf = r.ExpertOf.DetachFromDisposeScope(),
            TokenOf = r.TokenOf.DetachFromDisposeScope(), GateOf = r.GateOf.detach().DetachFromDisposeScope(), Kept = r.Kept.DetachFromDisposeScope(),
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _auxiliaryLoss?.Dispose();
        base.Dispose(disposing);
    }
}
