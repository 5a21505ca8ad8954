using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>
/// A hyper-parameter search: a base experiment spec, the fields to vary (by JSON path), the metric to optimise,
/// the resource rungs are measured in, the algorithm and the budget. Read from JSON by <see cref="SweepSpecJson"/>.
/// </summary>
public sealed record SweepSpec
{
    public string Name { get; init; } = "sweep";

    /// <summary>The experiment spec every trial starts from (the sweep file's "base" object, or the file "baseFile" names).</summary>
    public JsonObject Base { get; init; } = [];

    public IReadOnlyList<SearchDimension> Space { get; init; } = [];

    public SweepMetric Metric { get; init; } = new();

    public ResourceSpec Resource { get; init; } = new();

    public AlgorithmSpec Algorithm { get; init; } = new();

    public SweepBudget Budget { get; init; } = new();

    /// <summary>Service sweeps only: every trial's deadline lies at or before this instant; null: the service's default horizon.</summary>
    public DateTimeOffset? Deadline { get; init; }
}

public enum DimensionKind { Choice, Uniform, LogUniform }

/// <summary>One varied field. Choice takes one of <see cref="Values"/>; uniform and log-uniform draw from [Min, Max].</summary>
/// <param name="GridPoints">Points of a range in a grid (evenly spaced, log-spaced for log-uniform); choices use all their values.</param>
/// <param name="Integer">Rounds a drawn range value to an integer (width, depth, batch size).</param>
public sealed record SearchDimension(string Path, DimensionKind Kind, IReadOnlyList<JsonNode?> Values, double Min, double Max, bool Integer, int GridPoints);

public enum MetricGoal { Maximize, Minimize }

/// <summary>The validation metric the rungs rank by: "accuracy" (maximised by default) or "loss" (minimised).</summary>
public sealed record SweepMetric(string Name = "accuracy", MetricGoal Goal = MetricGoal.Maximize)
{
    /// <summary>The value as a score where higher is always better, the only form the algorithms see.</summary>
    public double Score(double value) => Goal == MetricGoal.Maximize ? value : -value;
}

public enum ResourceUnit { Steps, Epochs }

/// <summary>What a rung gives a trial: optimizer steps or epochs, from Min (the first rung) to Max (a full trial).</summary>
/// <param name="RungEvalBatches">
/// Validation batches an intermediate rung's score comes from (the first N of the split): a cheaper, noisier rung
/// score, which ASHA's ranking tolerates (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning", let
/// rungs rank on any intermediate loss). Full-resource segments, and so the chosen trial and its test score, keep the
/// base spec's own validation. Null: every rung scores as the base spec does.
/// </param>
public sealed record ResourceSpec(ResourceUnit Unit = ResourceUnit.Steps, int Min = 10, int Max = 270, int? RungEvalBatches = null);

public enum AlgorithmKind { Grid, Random, SuccessiveHalving, Asha, Hyperband }

/// <param name="Eta">Reduction factor: each rung keeps the best 1/eta and gives it eta times the resource.</param>
/// <param name="Trials">Configurations to try (random, successive halving, ASHA); grid tries them all, Hyperband sizes its own brackets.</param>
/// <param name="Seed">Seeds the draws from the space: the same seed gives the same sweep.</param>
public sealed record AlgorithmSpec(AlgorithmKind Kind = AlgorithmKind.Asha, int Eta = 3, int? Trials = null, int Seed = 1);

/// <summary>Stop starting trial segments once any of these is spent; null: no limit of that kind.</summary>
public sealed record SweepBudget(double? Kwh = null, double? GramsCo2 = null, int? Trials = null);
