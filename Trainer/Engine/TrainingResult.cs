using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Engine;

/// <summary>What a finished run reports (written as DIR/result.json by the CLI).</summary>
public sealed record TrainingResult
{
    public required string Name { get; init; }

    /// <summary>Why training ended: "completed" (all steps), "target reached: ...", "early stopping: ...", "cancelled".</summary>
    public required string StopReason { get; init; }

    public required long Steps { get; init; }

    public required double Epochs { get; init; }

    /// <summary>"accuracy" for classification, "loss" for language models: what final and best rank by.</summary>
    public required string Metric { get; init; }

    public required EvaluationRecord? Final { get; init; }

    public required EvaluationRecord? Best { get; init; }

    public required SplitScore Test { get; init; }

    public required PerformanceReport Performance { get; init; }

    public required double DurationSeconds { get; init; }

    public required string Device { get; init; }

    public required PrecisionKind Precision { get; init; }

    public required bool AllowTf32 { get; init; }

    public required long SkippedSteps { get; init; }

    /// <summary>Each reporting method's figures by method name: the final loss scale, sparsity per layer, the int8 export's score.</summary>
    public IReadOnlyDictionary<string, JsonNode> Methods { get; init; } = new Dictionary<string, JsonNode>();

    public required string SpecHash { get; init; }

    public required ExperimentSpec Spec { get; init; }

    /// <summary>What dataset.dedup removed before training and what that cost (also in dedup.json); null without dedup.</summary>
    public DedupSummary? Dedup { get; init; }
}

public sealed record SplitScore(double Loss, double? Accuracy);
