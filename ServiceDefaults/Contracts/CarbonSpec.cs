namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>The carbon constraints the Scheduler plans with; the Trainer ignores them.</summary>
public sealed record CarbonSpec
{
    /// <summary>When the run must be finished; null means as soon as is clean enough, no deadline.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Grid regions the run may use (provider region codes); empty means any region with a worker.</summary>
    public IReadOnlyList<string> AllowedRegions { get; init; } = [];

    /// <summary>Whether the Scheduler may pause the run (checkpoint and stop) while the grid is dirty.</summary>
    public bool Pausable { get; init; } = true;
}
