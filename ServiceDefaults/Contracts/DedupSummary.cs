namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// What the dedup stage removed and what it cost, written as dedup.json in the run's folder beside the
/// manifest of every removed example; result.json, the report and the carbon label quote it.
/// </summary>
public sealed record DedupSummary
{
    public const string FileName = "dedup.json";
    public const string ManifestFileName = "dedup-manifest.jsonl";

    /// <summary>Training examples (documents for text) before the stage.</summary>
    public required int Examples { get; init; }

    /// <summary>Training examples left to train on.</summary>
    public required int Kept { get; init; }

    /// <summary>(Examples - Kept) / Examples.</summary>
    public required double RemovedFraction { get; init; }

    public required IReadOnlyList<DedupStageSummary> Stages { get; init; }

    /// <summary>Wall time of the whole stage, proxy training included (s).</summary>
    public required double Seconds { get; init; }

    /// <summary>Energy of the stage measured by the Trainer's meter, every device summed (J); null when not measured.</summary>
    public double? EnergyJoules { get; init; }

    /// <summary>How the energy was obtained: the weakest method among the devices (counter, integrated, estimate).</summary>
    public EnergyMethod? EnergyMethod { get; init; }

    /// <summary>Text: validation and test documents that duplicated a training document, and were removed from their split.</summary>
    public SplitOverlap? Overlap { get; init; }
}

/// <param name="Stage">exact, near, semantic or prune.</param>
/// <param name="Input">Examples the stage looked at (what the stages before it kept).</param>
/// <param name="Removed">Examples it removed.</param>
/// <param name="Seconds">Its wall time (s); semantic and prune share one proxy run, counted under the first of them.</param>
/// <param name="ExamplesPerSecond">Input / Seconds.</param>
public sealed record DedupStageSummary(string Stage, int Input, int Removed, double Seconds, double ExamplesPerSecond);

/// <param name="Validation">Validation documents before the check.</param>
/// <param name="ValidationOverlap">Of them, duplicates (exact or near) of a training document.</param>
/// <param name="Test">Test documents before the check.</param>
/// <param name="TestOverlap">Of them, duplicates of a training document.</param>
public sealed record SplitOverlap(int Validation, int ValidationOverlap, int Test, int TestOverlap);
