namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>
/// One segment of a trial: train <see cref="Configuration"/> until it has had <see cref="Resource"/> steps (or epochs)
/// in all, continuing from where its last segment stopped. <see cref="Bracket"/> and <see cref="Rung"/> say where in the
/// algorithm it stands (0 for grid and random).
/// </summary>
public sealed record TrialRequest(Configuration Configuration, int Resource, int Bracket, int Rung);

/// <summary>
/// A search strategy in ask-and-tell form, for one trial at a time: <see cref="Next"/> names the next segment to run
/// (null: the search is over) and <see cref="Report"/> gives back its validation score (higher is better; see
/// SweepMetric.Score). Each request is reported before the next is asked for. No I/O, no clock: a synthetic
/// objective drives it in the unit tests exactly as training does in a sweep.
/// </summary>
public interface ISweepAlgorithm
{
    TrialRequest? Next();

    void Report(TrialRequest request, double score);
}

/// <summary>Makes the algorithm a sweep spec asks for.</summary>
public static class SweepAlgorithms
{
    public static ISweepAlgorithm Create(AlgorithmSpec spec, SearchSpace space, ResourceSpec resource)
    {
        var drawer = new ConfigurationDrawer(space, spec.Seed);
        var trials = spec.Trials ?? space.GridSize;
        return spec.Kind switch
        {
            AlgorithmKind.Grid => new FullTrials(space.Grid(), resource.Max),
            AlgorithmKind.Random => new FullTrials([.. Enumerable.Range(0, trials).Select(_ => drawer.Draw())], resource.Max),
            AlgorithmKind.SuccessiveHalving => new SuccessiveHalving([.. Enumerable.Range(0, trials).Select(_ => drawer.Draw())],
                resource.Min, resource.Max, spec.Eta),
            AlgorithmKind.Asha => new Asha(drawer, trials, resource.Min, resource.Max, spec.Eta),
            AlgorithmKind.Hyperband => new Hyperband(drawer, resource.Min, resource.Max, spec.Eta),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown algorithm"),
        };
    }
}
