using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models.Moe;

/// <summary>
/// What one MoE layer's router did over the training batches so far (evaluation batches are not counted):
/// assignments routed to each expert, those each expert processed (within capacity), and what was dropped.
/// Host counters, checkpointed by the MoE method so a resumed run reports the whole run. A forward pass adds its
/// counts to a device tensor and the host counters read it back only when asked (a checkpoint, a report, a metric),
/// so routing never makes the training step wait for the device.
/// </summary>
public sealed class ExpertLoad(int experts) : IDisposable
{
    private long[] _routed = new long[experts], _processed = new long[experts];
    private long _tokensDropped;
    private Tensor? _pending;

    /// <summary>Assignments whose router chose each expert, before capacity.</summary>
    public long[] Routed => Flushed()._routed;

    /// <summary>Assignments each expert computed (Routed less what overflowed its capacity).</summary>
    public long[] Processed => Flushed()._processed;

    public long Tokens { get; private set; }

    /// <summary>Tokens none of whose k assignments fitted: they passed through the residual only.</summary>
    public long TokensDropped => Flushed()._tokensDropped;

    public long Assignments => Routed.Sum();

    public long AssignmentsDropped => Assignments - Processed.Sum();

    /// <param name="counts">int64 [2 * experts + 1] on the model's device: assignments kept per expert, assignments
    /// dropped per expert, tokens dropped.</param>
    /// <param name="tokens">Tokens of the batch (known on the host).</param>
    public void Add(Tensor counts, long tokens)
    {
        if (counts.shape is not [var n] || n != 2 * _routed.Length + 1) throw new ArgumentException($"expected {2 * _routed.Length + 1} counts, got [{string.Join(", ", counts.shape)}]", nameof(counts));
        if (_pending is null) _pending = counts.detach().clone().DetachFromDisposeScope();
        else _pending.add_(counts);
        Tokens += tokens;
    }

    public ExpertLoadCounts Save() => new([.. Routed], [.. Processed], Tokens, TokensDropped);

    public void Load(ExpertLoadCounts counts)
    {
        if (counts.Routed.Length != _routed.Length) throw new InvalidDataException($"the checkpoint counts {counts.Routed.Length} experts, the model has {_routed.Length}");
        Discard();
        (_routed, _processed, Tokens, _tokensDropped) = ([.. counts.Routed], [.. counts.Processed], counts.Tokens, counts.TokensDropped);
    }

    private ExpertLoad Flushed()
    {
        if (_pending is null) return this;
        using var onHost = _pending.cpu();
        var host = onHost.data<long>().ToArray();
        var experts = _routed.Length;
        for (var i = 0; i < experts; i++)
        {
            _processed[i] += host[i];
            _routed[i] += host[i] + host[experts + i];
        }
        _tokensDropped += host[^1];
        Discard();
        return this;
    }

    private void Discard()
    {
        _pending?.Dispose();
        _pending = null;
    }

    public void Dispose() => Discard();
}

/// <summary>ExpertLoad's counters as a checkpoint holds them.</summary>
public sealed record ExpertLoadCounts(long[] Routed, long[] Processed, long Tokens, long TokensDropped);
