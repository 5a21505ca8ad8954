namespace GreenTrain.Telemetry.Ui;

/// <summary>One finished experiment on the compare page: its best metric against what it cost.</summary>
public sealed record ComparePoint(
    string Id, string Name, string State, string MetricName, double Metric, double EnergyKwh, double EmissionsGrams,
    bool OnEnergyFrontier, bool OnEmissionsFrontier);

/// <summary>
/// The Pareto frontier of a metric against a cost: the points no other point beats on both, that is, none has a
/// metric at least as good at a cost at most as high with one of them strictly better.
/// </summary>
public static class ParetoFrontier
{
    /// <returns>For each point, whether it is on the frontier.</returns>
    public static bool[] Of(IReadOnlyList<(double Metric, double Cost)> points, bool higherIsBetter)
    {
        double Good(double metric) => higherIsBetter ? metric : -metric;
        var on = new bool[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var (mi, ci) = (Good(points[i].Metric), points[i].Cost);
            on[i] = !points.Where((_, j) => j != i).Any(p =>
                Good(p.Metric) >= mi && p.Cost <= ci && (Good(p.Metric) > mi || p.Cost < ci));
        }
        return on;
    }

    /// <summary>The compare page's points: experiments with a metric and a report, one metric at a time (the most common one).</summary>
    public static IReadOnlyList<ComparePoint> Points(IReadOnlyList<ExperimentRow> rows)
    {
        var measured = rows.Where(r => r is { Metric: not null, MetricName: not null, EnergyKwh: not null, EmissionsGrams: not null }).ToList();
        var metric = measured.GroupBy(r => r.MetricName!).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        if (metric is null)
        {
            return [];
        }
        var same = measured.Where(r => r.MetricName == metric).ToList();
        var higher = ExperimentRow.HigherIsBetter(metric);
        var energy = Of(same.Select(r => (r.Metric!.Value, r.EnergyKwh!.Value)).ToList(), higher);
        var emissions = Of(same.Select(r => (r.Metric!.Value, r.EmissionsGrams!.Value)).ToList(), higher);
        return same.Select((r, i) => new ComparePoint(r.Id, r.Name, r.State, metric, r.Metric!.Value, r.EnergyKwh!.Value, r.EmissionsGrams!.Value,
            energy[i], emissions[i])).ToList();
    }
}
