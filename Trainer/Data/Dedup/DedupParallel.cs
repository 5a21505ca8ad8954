namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>How many cores the dedup stage's loops may take: the run's CPU threads when given, else all of them.</summary>
public static class DedupParallel
{
    public static ParallelOptions Options(int? threads) => new() { MaxDegreeOfParallelism = threads is { } t ? Math.Max(1, t) : -1 };
}
