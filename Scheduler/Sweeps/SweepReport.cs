using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>One trial in the report: its configuration, where it got to, what it scored and what it cost.</summary>
public sealed record TrialSummary(string TrialId, IReadOnlyDictionary<string, JsonNode?> Values, int Resource, long StepsTrained,
    double? Metric, double? TestAccuracy, double Kwh, double GramsCo2, string EnergyMethod, string? Failure, IReadOnlyList<SegmentRecord> Segments);

/// <summary>What the grid search of the same space costs: measured when the sweep was the grid, else estimated and said so.</summary>
public sealed record GridCost(int Configurations, double Kwh, double GramsCo2, bool Estimate, string How);

/// <summary>The chosen model's label: its own training and the search that found it.</summary>
public sealed record SweepLabel(string TrialId, double ModelKwh, double SearchKwh, double SearchGramsCo2, string Note);

/// <summary>The sweep report (sweep-report.json): every trial, the best, the Pareto frontier of metric vs energy, the search's footprint and the grid's.</summary>
public sealed record SweepReport(string Name, string Algorithm, string Metric, string Goal, string StopReason, int Segments, int ReusedSegments,
    double ElapsedSeconds, TrialSummary? Best, IReadOnlyList<string> ParetoFrontier, double TotalKwh, double TotalGramsCo2, long TotalSteps,
    EmissionFactors Emissions, GridCost Grid, double EnergyVsGrid, SweepLabel? Label, IReadOnlyList<TrialSummary> Trials)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static SweepReport Build(SweepOutcome outcome, EmissionFactors emissions)
    {
        var spec = outcome.Spec;
        var trials = outcome.Trials.Select(t => Summarise(t, spec)).ToList();
        // The best is chosen among the trials that went furthest (a full trial beats a first-rung lead), by validation score.
        var furthest = trials.Where(t => t.Metric is not null).Select(t => t.Resource).DefaultIfEmpty(0).Max();
        var best = trials.Where(t => t.Metric is not null && t.Resource == furthest).MaxBy(t => spec.Metric.Score(t.Metric!.Value));
        var frontier = Sweeps.ParetoFrontier.Of(trials.Where(t => t.Metric is not null), t => spec.Metric.Score(t.Metric!.Value), t => t.Kwh);
        var totalKwh = trials.Sum(t => t.Kwh);
        var totalGrams = trials.Sum(t => t.GramsCo2);
        var grid = GridCostOf(outcome, emissions);
        var label = best is null ? null : new SweepLabel(best.TrialId, best.Kwh, totalKwh, totalGrams,
            $"found by {spec.Algorithm.Kind} over {trials.Count} configurations; the search cost {totalKwh / Math.Max(best.Kwh, 1e-12):F1}x the model's own training");
        return new SweepReport(spec.Name, spec.Algorithm.Kind.ToString(), spec.Metric.Name, spec.Metric.Goal.ToString(), outcome.StopReason,
            outcome.Segments, outcome.ReusedSegments, outcome.Elapsed.TotalSeconds, best, [.. frontier.Select(t => t.TrialId)], totalKwh, totalGrams,
            outcome.Trials.Sum(t => t.StepsTrained), emissions, grid, grid.Kwh > 0 ? totalKwh / grid.Kwh : double.NaN, label, trials);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static TrialSummary Summarise(TrialRecord trial, SweepSpec spec)
    {
        var last = trial.Last;
        var metric = last is null ? null : spec.Metric.Name == "loss" ? last.Loss : last.Accuracy;
        return new TrialSummary(trial.TrialId, trial.Values, last?.Resource ?? 0, trial.StepsTrained, metric, trial.TestAccuracy,
            trial.Joules / 3.6e6, trial.GramsCo2, trial.EnergyMethod, trial.Failure, trial.Segments);
    }

    /// <summary>
    /// A grid run is its own measurement. Otherwise each grid point is priced at the full resource times its energy per
    /// unit of resource: its own where it was trained, the mean of the trained ones where it was not.
    /// </summary>
    private static GridCost GridCostOf(SweepOutcome outcome, EmissionFactors emissions)
    {
        var spec = outcome.Spec;
        var space = new SearchSpace(spec.Space);
        var totalKwh = outcome.Trials.Sum(t => t.Joules) / 3.6e6;
        if (spec.Algorithm.Kind == AlgorithmKind.Grid)
        {
            return new GridCost(space.GridSize, totalKwh, outcome.Trials.Sum(t => t.GramsCo2), false, "measured: this sweep was the grid");
        }
        var perUnit = outcome.Trials.Where(t => t.Reached > 0 && t.Joules > 0)
            .ToDictionary(t => t.Configuration.Key(spec.Space), t => t.Joules / Math.Max(1, t.ResourceTrained));
        var mean = perUnit.Count > 0 ? perUnit.Values.Average() : 0;
        var joules = space.Grid().Sum(c => spec.Resource.Max * perUnit.GetValueOrDefault(c.Key(spec.Space), mean));
        var kwh = joules / 3.6e6;
        return new GridCost(space.GridSize, kwh, kwh * emissions.GramsPerKwh * emissions.Pue, true,
            $"estimate: {space.GridSize} configurations x {spec.Resource.Max} {spec.Resource.Unit.ToString().ToLowerInvariant()}, at each trained configuration's "
            + $"measured energy per {spec.Resource.Unit.ToString().ToLowerInvariant()[..^1]} ({perUnit.Count} of them) and their mean for the rest");
    }
}
