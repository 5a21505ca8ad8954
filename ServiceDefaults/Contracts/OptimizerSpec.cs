using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

public sealed record OptimizerSpec
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.AdamW;

    /// <summary>Peak learning rate, reached after warm-up.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay (adamw) or L2 penalty (sgd), applied to matrices and kernels only.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>adamw only.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>adamw only.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>sgd only (0 = plain SGD).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Clip the global gradient norm to this before each step; null or 0 turns clipping off.</summary>
    public double? GradientClip { get; init; } = 1.0;
}

public enum OptimizerKind
{
    [JsonStringEnumMemberName("adamw")] AdamW,
    [JsonStringEnumMemberName("sgd")] Sgd,
}

/// <summary>Learning rate over the run: linear warm-up, then constant or cosine decay.</summary>
public sealed record ScheduleSpec
{
    public ScheduleKind Kind { get; init; } = ScheduleKind.Cosine;

    /// <summary>Optimizer steps of linear warm-up from 0 to the peak learning rate.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>cosine only: the final learning rate as a fraction (0..1) of the peak.</summary>
    public double MinLearningRateFraction { get; init; } = 0.1;
}

public enum ScheduleKind
{
    [JsonStringEnumMemberName("constant")] Constant,
    [JsonStringEnumMemberName("cosine")] Cosine,
}
