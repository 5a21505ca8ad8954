namespace GreenTrain.Benchmarks.Checkpoints;

/// <summary>One measured round: save (through the background writer), restore (verified load), and the caller's hand-over cost.</summary>
public sealed record RoundResult(double SaveSeconds, double RestoreSeconds, double SubmitMilliseconds);

/// <summary>All rounds against one store, with medians (robust to one slow round on a shared machine).</summary>
public sealed record StoreResult(string Store, string ServerKind, int SizeMiB, double SaveMiBps, double RestoreMiBps,
    double MedianSaveSeconds, double MedianRestoreSeconds, double MaxSubmitMilliseconds, IReadOnlyList<RoundResult> Rounds)
{
    public static StoreResult From(string store, string serverKind, int sizeMiB, IReadOnlyList<RoundResult> rounds)
    {
        var save = Median(rounds.Select(r => r.SaveSeconds));
        var restore = Median(rounds.Select(r => r.RestoreSeconds));
        return new StoreResult(store, serverKind, sizeMiB, sizeMiB / save, sizeMiB / restore, save, restore,
            rounds.Max(r => r.SubmitMilliseconds), rounds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>What the results file holds: the numbers and everything needed to judge and repeat them.</summary>
public sealed record BenchmarkReport(DateTimeOffset MeasuredAt, string CommandLine, string OperatingSystem, string Runtime,
    int ProcessorCount, string LoadAverage, int SizeMiB, double Sha256MiBps, IReadOnlyList<StoreResult> Stores);
