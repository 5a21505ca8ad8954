namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// Upper bounds of a spec's counts. Each is far above any real run, and low enough that the products the Trainer
/// and Scheduler form from them (steps x batch x accumulation, seconds as a TimeSpan) stay inside their types.
/// </summary>
public static class SpecLimits
{
    public const int MaxSteps = 100_000_000;

    public const int MaxEpochs = 100_000;

    public const int MaxBatchSize = 65_536;

    public const int MaxAccumulationSteps = 4_096;

    public const int MaxEvalBatches = 1_000_000;

    public const int MaxPatience = 100_000;

    /// <summary>A week: a checkpoint interval longer than that is no checkpoint at all.</summary>
    public const double MaxCheckpointSeconds = 7 * 24 * 3600;

    public const int MaxKeepLast = 100;
}
