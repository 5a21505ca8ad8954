using GreenTrain.ServiceDefaults.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models.Moe;

/// <summary>
/// A sparse mixture-of-experts feed-forward in place of a block's dense MLP. The router runs in fp32 whatever the
/// compute type (its input and weights are cast up; Switch's "selective precision"), because a 16-bit softmax over
/// experts makes routing unstable.
/// <para>
/// The experts compute as one batch, as Switch and GShard do on accelerators: each kept assignment's token is placed
/// in its expert's row of an [experts, capacity, width] buffer (one gather, at slot expert * capacity + place), both
/// expert layers run as one batched matmul over the stacked weights expand [experts, width, hidden] and projection
/// [experts, hidden, width], and each token's output is its k slots' outputs times their gates (one gather and a sum
/// over k). A dropped assignment gets gate 0, so a token with none kept adds nothing to its residual stream.
/// A slot no assignment filled computes on token 0's vector, and nothing reads it back (its gradient is zero).
/// So every expert computes its whole capacity: the padding's FLOPs are spent (MoeReport's flopsPerToken.computed).
/// That is the dispatch on a GPU, where it keeps the step free of host reads.
/// </para>
/// <para>
/// On the CPU the experts compute grouped instead (ExpertDispatch.Grouped): the kept assignments sorted by expert,
/// each expert one matmul over exactly its own rows, and each token's gated outputs added into its row by one
/// index_add. A host read of the per-expert counts costs a CPU nothing, while the padding's 25 % more expert FLOPs
/// (at the default capacity factor) and the padded combine's gather over every slot cost it about a tenth of the
/// whole training step (docs/benchmarks.md, "MoE on the CPU: grouped experts"). Both give the same outputs and
/// gradients (BatchedExpertsTests); model.moe.dispatch overrides the device's choice.
/// </para>
/// The expert weights are plain parameters, not Linear layers: methods that act on Linear layers (pruning,
/// quantisation, N:M sparsity) leave the experts alone.
/// </summary>
public sealed class MoeFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear router;
    private readonly Parameter expand, projection;
    private readonly MoeSpec _spec;
    private Tensor? _auxiliaryLoss;

    public MoeFeedForward(int width, MoeSpec spec) : base(nameof(MoeFeedForward))
    {
        _spec = spec;
        Hidden = spec.ExpertHidden ?? 4 * width;
        router = nn.Linear(width, spec.Experts, hasBias: false);
        // Gpt.Initialise draws every weight; zeros only give the shapes.
        expand = new Parameter(zeros(spec.Experts, width, Hidden));
        projection = new Parameter(zeros(spec.Experts, Hidden, width));
        Load = new ExpertLoad(spec.Experts);
        RegisterComponents();
    }

    public int Experts => _spec.Experts;

    public int TopK => _spec.TopK;

    public int Hidden { get; }

    public double CapacityFactor => _spec.CapacityFactor;

    /// <summary>The load-balancing plus z-loss of the last forward pass (fp32 scalar, with its graph); null before the first.</summary>
    public Tensor? AuxiliaryLoss => _auxiliaryLoss;

    public ExpertLoad Load { get; }

    /// <summary>The routing of the last forward pass, kept only while a test asks for it.</summary>
    public Routing? LastRouting { get; private set; }

    public bool KeepRouting { get; set; }

    /// <summary>How the experts compute (model.moe.dispatch); null: grouped on the CPU, padded on other devices.</summary>
    public ExpertDispatch? Dispatch => _spec.Dispatch;

    /// <summary>The dispatch the layer runs where its weights are now: the spec's, or the device's default.</summary>
    public ExpertDispatch ActiveDispatch => Dispatch ?? (expand.device_type == DeviceType.CPU ? ExpertDispatch.Grouped : ExpertDispatch.Padded);

    /// <param name="x">[batch, time, width] (the block's normalised residual stream).</param>
    /// <returns>[batch, time, width]: each token's gated sum of its kept experts' outputs, zeros for dropped tokens.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var width = x.shape[^1];
        var flat = x.reshape(-1, width);
        var tokens = flat.shape[0];
        var logits = nn.functional.linear(flat.to(ScalarType.Float32), router.weight!.to(ScalarType.Float32));
        var routing = TopKRouting.Route(logits, _spec.TopK, _spec.CapacityFactor);
        var auxiliary = TopKRouting.LoadBalanceLoss(routing, _spec.LoadBalanceAlpha) + TopKRouting.ZLoss(logits, _spec.RouterZLossCoef);
        Keep(ref _auxiliaryLoss, auxiliary);
        if (training) Load.Add(Counts(routing), tokens);

        var combined = ActiveDispatch == ExpertDispatch.Grouped ? Grouped(flat, routing) : Padded(flat, routing);
        if (KeepRouting) LastRouting = Detached(routing);
        return combined.view(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Every expert computes its whole capacity in one bmm per layer; no host read.</summary>
    private Tensor Padded(Tensor flat, Routing routing)
    {
        var (tokens, width) = (flat.shape[0], flat.shape[1]);
        var capacity = routing.Capacity;
        var slots = Experts * capacity;
        // Dropped assignments write to one spare slot past the end, so the scatter needs no host-side count.
        var slotOf = where(routing.Kept, routing.ExpertOf * capacity + routing.Place, slots);
        var tokenOfSlot = zeros(slots + 1, ScalarType.Int64, flat.device).index_copy_(0, slotOf, routing.TokenOf).narrow(0, 0, slots);
        var dispatched = flat.index_select(0, tokenOfSlot).view(Experts, capacity, width);
        var hidden = nn.functional.gelu(dispatched.bmm(expand));
        var expertOutputs = hidden.bmm(projection).view(slots, width);

        var gates = routing.GateOf.masked_fill(routing.Kept.logical_not(), 0).to(flat.dtype);
        var gathered = expertOutputs.index_select(0, slotOf.clamp_max(slots - 1));
        return (gathered * gates.unsqueeze(1)).view(TopK, tokens, width).sum(0L); // 0L: a literal 0 would bind to sum(ScalarType)
    }

    /// <summary>Each expert computes exactly its kept assignments: one matmul per expert layer over its own rows.</summary>
    private Tensor Grouped(Tensor flat, Routing routing)
    {
        var kept = routing.Kept.nonzero().squeeze(1);
        // A kept assignment's slot (expert * capacity + place) is unique, so sorting by it groups the rows by expert.
        var slot = (routing.ExpertOf * routing.Capacity + routing.Place).index_select(0, kept);
        var assignment = kept.index_select(0, slot.argsort());
        var tokenOfRow = routing.TokenOf.index_select(0, assignment);
        using var perExpert = TopKRouting.PerExpert(routing.ExpertOf.index_select(0, assignment), Experts).cpu();
        var rowsPerExpert = perExpert.data<long>().ToArray();

        var rows = flat.index_select(0, tokenOfRow).split(rowsPerExpert);
        var (expands, projections) = (expand.unbind(0), projection.unbind(0));
        var outputs = new List<Tensor>(Experts);
        for (var e = 0; e < Experts; e++)
        {
            if (rowsPerExpert[e] > 0) outputs.Add(nn.functional.gelu(rows[e].mm(expands[e])).mm(projections[e]));
        }
        if (outputs.Count == 0) return zeros_like(flat);
        var expertOutputs = cat(outputs, 0);
        var gates = routing.GateOf.index_select(0, assignment).to(expertOutputs.dtype);
        // A token with no kept assignment gets no row, so its output stays zero: it passes through the residual only.
        return zeros(flat.shape, expertOutputs.dtype, flat.device).index_add_(0, tokenOfRow, expertOutputs * gates.unsqueeze(1), 1);
    }

    /// <summary>ExpertLoad's per-batch counts, on the device: kept per expert, dropped per expert, tokens with nothing kept.</summary>
    private Tensor Counts(Routing routing)
    {
        var perExpert = TopKRouting.PerExpert(routing.ExpertOf + routing.Kept.logical_not().to(ScalarType.Int64) * Experts, 2 * Experts);
        var tokensDropped = routing.Kept.view(TopK, -1).any(0).logical_not().sum().to(ScalarType.Int64).unsqueeze(0);
        return cat([perExpert, tokensDropped], 0);
    }

    private static void Keep(ref Tensor? field, Tensor value)
    {
        field?.Dispose();
        field = value.DetachFromDisposeScope();
    }

    private Routing Detached(Routing r)
    {
        if (LastRouting is { } last) foreach (var t in new[] { last.Probabilities, last.ExpertOf, last.TokenOf, last.GateOf, last.Kept, last.Place }) t.Dispose();
        return r with
        {
            Probabilities = r.Probabilities.detach().DetachFromDisposeScope(), ExpertOf = r.ExpertOf.DetachFromDisposeScope(),
            TokenOf = r.TokenOf.DetachFromDisposeScope(), GateOf = r.GateOf.detach().DetachFromDisposeScope(), Kept = r.Kept.DetachFromDisposeScope(),
            Place = r.Place.DetachFromDisposeScope(),
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _auxiliaryLoss?.Dispose();
            Load.Dispose();
        }
        base.Dispose(disposing);
    }
}
