namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>Grid and random search: every configuration trained to the full resource, none stopped early (the reference).</summary>
public sealed class FullTrials(IReadOnlyList<Configuration> configurations, int maxResource) : ISweepAlgorithm
{
    private int _next;

    public TrialRequest? Next() => _next < configurations.Count ? new TrialRequest(configurations[_next++], maxResource, 0, 0) : null;

    public void Report(TrialRequest request, double score)
    {
        // Nothing to decide: every configuration runs to the end whatever it scores.
    }
}
