using System.Collections.Immutable;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.AppHost.Experiments;

/// <summary>What the experiments row says, from the workers' progress hashes (newest first).</summary>
public static class ExperimentsSummary
{
    public static (string State, string Style, ImmutableArray<ResourcePropertySnapshot> Properties) Describe(IReadOnlyList<ExperimentProgress> newestFirst)
    {
        if (newestFirst.Count == 0)
        {
            return ("No experiments yet", KnownResourceStateStyles.Info, []);
        }
        var newest = newestFirst[0];
        var style = newest.State switch
        {
            ExperimentRunState.Completed => KnownResourceStateStyles.Success,
            ExperimentRunState.Failed => KnownResourceStateStyles.Error,
            ExperimentRunState.Paused or ExperimentRunState.Pausing or ExperimentRunState.Cancelled => KnownResourceStateStyles.Warn,
            _ => KnownResourceStateStyles.Info,
        };
        var properties = newestFirst.Select(p => new ResourcePropertySnapshot($"experiment.{p.ExperimentId}", Describe(p, detailed: true))).ToImmutableArray();
        // The dashboard's state column is narrow: what it is doing first, then which experiment.
        return ($"{Describe(newest, detailed: false)} · {newest.ExperimentId}", style, properties);
    }

    /// <summary>"paused 25% in DE" for the state column; with <paramref name="detailed"/>, "paused at 25% in DE (step 30 of 120)".</summary>
    private static string Describe(ExperimentProgress p, bool detailed)
    {
        var share = p.TotalSteps > 0 ? $"{(detailed ? " at" : "")} {100.0 * p.Step / p.TotalSteps:0}%" : "";
        var where = p.Region is { Length: > 0 } region ? $" in {region}" : "";
        var steps = detailed ? $" (step {p.Step} of {p.TotalSteps})" : "";
        return $"{p.State.ToString().ToLowerInvariant()}{share}{where}{steps}";
    }
}
