namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The pure arithmetic of the benchmark: which grid setting the validation split chooses, the share of the
/// teacher-student gap a distilled student recovers, and the mean and spread of that share over seeds.
/// Accuracy (CNN) is better higher, loss (GPT) lower; the gap formula is the same for both.
/// </summary>
public static class DistillSelection
{
    public static bool HigherIsBetter(string workload) => workload == "cnn";

    /// <summary>The grid run with the best validation metric (the first of equals); the test split plays no part.</summary>
    public static DistillResult Choose(IReadOnlyList<DistillResult> grid)
    {
        if (grid.Count == 0) throw new ArgumentException("the grid has no runs", nameof(grid));
        var higher = HigherIsBetter(grid[0].Workload);
        var best = grid[0];
        foreach (var run in grid.Skip(1))
        {
            if (higher ? run.ValidationMetric > best.ValidationMetric : run.ValidationMetric < best.ValidationMetric) best = run;
        }
        return best;
    }

    /// <summary>
    /// (distilled - scratch) / (teacher - scratch); null when the scratch student is not worse than the teacher, since
    /// there is then no gap to recover (the ratio of two signs would read a worse distilled student as over 100 %).
    /// </summary>
    public static double? GapRecovered(string workload, double teacher, double scratch, double distilled)
    {
        var gap = HigherIsBetter(workload) ? teacher - scratch : scratch - teacher;
        return gap > 0 ? (distilled - scratch) / (teacher - scratch) : null;
    }

    /// <summary>Mean and sample standard deviation (0 for one value).</summary>
    public static (double Mean, double Spread) MeanAndSpread(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var mean = values.Average();
        var spread = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, spread);
    }
}
