using System.Text.Json.Serialization;
using GreenTrain.ServiceDefaults.Contracts.Methods;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>How long and how to train: grouped like the top of nanoGPT's train.py.</summary>
public sealed record TrainingSpec
{
    /// <summary>Passes over the training set. Set at most one of epochs and steps; with neither, 10 epochs.</summary>
    public int? Epochs { get; init; }

    /// <summary>Optimizer steps. Set at most one of epochs and steps.</summary>
    public int? Steps { get; init; }

    /// <summary>Examples (sequences for text) per micro-batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Micro-batches per optimizer step; the update equals one batch this many times larger.</summary>
    public int AccumulationSteps { get; init; } = 1;

    public OptimizerSpec Optimizer { get; init; } = new();

    public ScheduleSpec Schedule { get; init; } = new();

    public PrecisionKind Precision { get; init; } = PrecisionKind.Fp32;

    /// <summary>Let fp32 matrix products use TF32 tensor cores (CUDA only; about 10 mantissa bits).</summary>
    public bool AllowTf32 { get; init; }

    /// <summary>Seeds weights, data order and dropout: the same seed gives the same run.</summary>
    public int Seed { get; init; } = 1337;

    /// <summary>Evaluate on the validation set every this many optimizer steps (and at the end).</summary>
    public int EvalEverySteps { get; init; } = 100;

    /// <summary>Validation batches per evaluation; null evaluates the whole validation set.</summary>
    public int? EvalBatches { get; init; }

    /// <summary>Stop as soon as the validation metric reaches this; null trains to the end.</summary>
    public TargetSpec? Target { get; init; }

    /// <summary>Stop when the validation metric stops improving; null never stops early.</summary>
    public EarlyStoppingSpec? EarlyStopping { get; init; }

    /// <summary>
    /// Efficiency methods applied during training, in this order (pruning, quantization-aware training, ...):
    /// each entry names its kind, e.g. { "kind": "magnitude-pruning", "finalSparsity": 0.8 }. Null or empty: none.
    /// </summary>
    public IReadOnlyList<MethodSpec>? Methods { get; init; }
}

public enum PrecisionKind
{
    /// <summary>Everything in float32.</summary>
    [JsonStringEnumMemberName("fp32")] Fp32,

    /// <summary>bfloat16 compute, float32 master weights and optimizer state.</summary>
    [JsonStringEnumMemberName("bf16")] Bf16,

    /// <summary>float16 compute with a dynamic loss scaler, float32 master weights and optimizer state.</summary>
    [JsonStringEnumMemberName("fp16")] Fp16,
}

public enum MetricKind
{
    /// <summary>Validation accuracy, 0..1, higher is better (classification only).</summary>
    [JsonStringEnumMemberName("accuracy")] Accuracy,

    /// <summary>Validation cross-entropy, lower is better.</summary>
    [JsonStringEnumMemberName("loss")] Loss,
}

/// <summary>Stop when the validation metric reaches Value (accuracy at least, loss at most).</summary>
public sealed record TargetSpec
{
    public MetricKind Metric { get; init; } = MetricKind.Accuracy;

    public double Value { get; init; }
}

/// <summary>Stop after Patience evaluations in a row that do not improve the best metric by MinDelta.</summary>
public sealed record EarlyStoppingSpec
{
    public MetricKind Metric { get; init; } = MetricKind.Loss;

    public int Patience { get; init; } = 5;

    public double MinDelta { get; init; }
}
