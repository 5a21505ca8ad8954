using GreenTrain.Scheduler.Sweeps;
using GreenTrain.Scheduler.Sweeps.Algorithms;

namespace GreenTrain.Scheduler.Tests.Sweeps;

/// <summary>
/// A learning curve per configuration: quality(c)·(1 - e^(-r/20)), so rankings at every resource agree and the best
/// configuration is known. Quality peaks at learning rate 0.003, width 64, depth 2.
/// </summary>
internal static class SyntheticObjective
{
    public static readonly IReadOnlyList<SearchDimension> Space =
    [
        new("$.training.optimizer.learningRate", DimensionKind.Choice, [0.001, 0.003, 0.01], 0, 0, false, 3),
        new("$.model.width", DimensionKind.Choice, [32, 64, 128], 0, 0, false, 3),
        new("$.model.depth", DimensionKind.Choice, [1, 2, 3], 0, 0, false, 3),
    ];

    /// <summary>Uses as many of the three dimensions as the configuration has (the one-dimensional tests vary the learning rate only).</summary>
    public static double Quality(Configuration c) =>
        1 - 0.1 * Math.Abs(Math.Log(Number(c, 0) / 0.003))
          - (c.Values.Count > 1 ? 0.05 * Math.Abs(Math.Log2(Number(c, 1) / 64)) : 0)
          - (c.Values.Count > 2 ? 0.02 * Math.Abs(Number(c, 2) - 2) : 0);

    public static double Score(Configuration c, int resource) => Quality(c) * (1 - Math.Exp(-resource / 20.0));

    public static string Best => "learningRate=0.003 width=64 depth=2";

    /// <summary>Runs the algorithm to the end, reporting the synthetic score of every request; returns the requests in order.</summary>
    public static List<TrialRequest> Drive(ISweepAlgorithm algorithm)
    {
        var requests = new List<TrialRequest>();
        while (algorithm.Next() is { } request)
        {
            requests.Add(request);
            algorithm.Report(request, Score(request.Configuration, request.Resource));
        }
        return requests;
    }

    private static double Number(Configuration c, int d) => double.Parse(c.Values[d]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
