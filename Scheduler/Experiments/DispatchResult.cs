namespace GreenTrain.Scheduler.Experiments;

/// <summary>What one dispatch pass leaves to do next.</summary>
/// <param name="NextBoundary">The next plan boundary after now: when to dispatch again.</param>
/// <param name="ReplanNeeded">
/// A running experiment outlasted its plan (its work took longer than estimated): plans must be rebuilt from
/// its measured pace now, not at the next periodic replan, for it is running where no plan says so.
/// </param>
public sealed record DispatchResult(DateTimeOffset? NextBoundary, bool ReplanNeeded);
