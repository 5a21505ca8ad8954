namespace GreenTrain.Trainer.Models.Moe;

/// <summary>
/// What one MoE layer's router did over the training batches so far (evaluation batches are not counted):
/// assignments routed to each expert, those each expert processed (within capacity), and what was dropped.
/// Host counters, checkpointed by the MoE method so a resumed run reports the whole run.
/// </summary>
public sealed class ExpertLoad(int experts)
{
    /// <summary>Assignments whose router chose each expert, before capacity.</summary>
    public long[] Routed { get; private set; } = new long[experts];

    /// <summary>Assignments each expert computed (Routed less what overflowed its capacity).</summary>
    public long[] Processed { get; private set; } = new long[experts];

    public long Tokens { get; private set; }

    /// <summary>Tokens none of whose k assignments fitted: they passed through the residual only.</summary>
    public long TokensDropped { get; private set; }

    public long Assignments => Routed.Sum();

    public long AssignmentsDropped => Assignments - Processed.Sum();

    public void Add(ReadOnlySpan<long> routed, ReadOnlySpan<long> processed, long tokens, long tokensDropped)
    {
        for (var i = 0; i < Routed.Length; i++)
        {
            Routed[i] += routed[i];
            Processed[i] += processed[i];
        }
        Tokens += tokens;
        TokensDropped += tokensDropped;
    }

    public ExpertLoadCounts Save() => new([.. Routed], [.. Processed], Tokens, TokensDropped);

    public void Load(ExpertLoadCounts counts)
    {
        if (counts.Routed.Length != Routed.Length) throw new InvalidDataException($"the checkpoint counts {counts.Routed.Length} experts, the model has {Routed.Length}");
        (Routed, Processed, Tokens, TokensDropped) = ([.. counts.Routed], [.. counts.Processed], counts.Tokens, counts.TokensDropped);
    }
}

/// <summary>ExpertLoad's counters as a checkpoint holds them.</summary>
public sealed record ExpertLoadCounts(long[] Routed, long[] Processed, long Tokens, long TokensDropped);
