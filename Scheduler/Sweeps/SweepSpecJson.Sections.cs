using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

public static partial class SweepSpecJson
{
    private static IReadOnlyList<SearchDimension> ReadSpace(JsonObject document, FieldReader reader, List<SpecError> errors)
    {
        if (document["space"] is not JsonArray items || items.Count == 0)
        {
            errors.Add(new("$.space", "must be a non-empty array of dimensions, e.g. { \"path\": \"$.model.width\", \"kind\": \"choice\", \"values\": [64, 128] }"));
            return [];
        }
        var space = new List<SearchDimension>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"$.space[{i}]";
            if (items[i] is not JsonObject item) { errors.Add(new(at, "must be an object")); continue; }
            reader.Unknown(item, at, ["path", "kind", "values", "min", "max", "integer", "gridPoints"]);
            var path = reader.String(item, $"{at}.path", "path");
            if (path is null || JsonPathPatch.Parse(path) is null) errors.Add(new($"{at}.path", "must be a path such as $.training.optimizer.learningRate"));
            else if (space.Any(d => d.Path == path)) errors.Add(new($"{at}.path", $"{path} is varied twice"));
            var kind = reader.Enum(item, $"{at}.kind", "kind", DimensionKind.Choice, ("choice", DimensionKind.Choice), ("uniform", DimensionKind.Uniform), ("logUniform", DimensionKind.LogUniform));
            var values = item["values"] as JsonArray;
            var min = reader.Number(item, $"{at}.min", "min") ?? 0;
            var max = reader.Number(item, $"{at}.max", "max") ?? 0;
            if (kind == DimensionKind.Choice && (values is null || values.Count == 0)) errors.Add(new($"{at}.values", "must be a non-empty array for a choice"));
            if (kind != DimensionKind.Choice)
            {
                if (item["min"] is null || item["max"] is null) errors.Add(new($"{at}.min", "a range needs min and max"));
                else if (!(max > min)) errors.Add(new($"{at}.max", "must be greater than min"));
                if (kind == DimensionKind.LogUniform && !(min > 0)) errors.Add(new($"{at}.min", "must be > 0 for a log-uniform range"));
            }
            var grid = (int)(reader.Number(item, $"{at}.gridPoints", "gridPoints") ?? 3);
            if (grid is < 1 or > 100) errors.Add(new($"{at}.gridPoints", "must be 1-100"));
            space.Add(new SearchDimension(path ?? "$", kind, values?.ToList() ?? [], min, max, reader.Bool(item, $"{at}.integer", "integer") ?? false, grid));
        }
        return space;
    }

    private static SweepMetric ReadMetric(JsonObject document, FieldReader reader)
    {
        if (reader.Object(document, "$.metric", "metric", ["name", "goal"]) is not { } metric) return new();
        var name = reader.Enum(metric, "$.metric.name", "name", "accuracy", ("accuracy", "accuracy"), ("loss", "loss"));
        var goal = reader.Enum(metric, "$.metric.goal", "goal", name == "loss" ? MetricGoal.Minimize : MetricGoal.Maximize,
            ("maximize", MetricGoal.Maximize), ("minimize", MetricGoal.Minimize));
        return new SweepMetric(name, goal);
    }

    private static ResourceSpec ReadResource(JsonObject document, FieldReader reader, List<SpecError> errors)
    {
        if (reader.Object(document, "$.resource", "resource", ["unit", "min", "max", "rungEvalBatches"]) is not { } resource) return new();
        var unit = reader.Enum(resource, "$.resource.unit", "unit", ResourceUnit.Steps, ("steps", ResourceUnit.Steps), ("epochs", ResourceUnit.Epochs));
        var min = reader.Number(resource, "$.resource.min", "min") ?? new ResourceSpec().Min;
        var max = reader.Number(resource, "$.resource.max", "max") ?? new ResourceSpec().Max;
        if (min < 1 || min != Math.Floor(min)) errors.Add(new("$.resource.min", "must be a whole number >= 1"));
        if (max < min || max != Math.Floor(max) || max > SpecLimits.MaxSteps) errors.Add(new("$.resource.max", "must be a whole number >= min"));
        var rungEvalBatches = reader.Whole(resource, "$.resource.rungEvalBatches", "rungEvalBatches", 1, SpecLimits.MaxEvalBatches);
        return new ResourceSpec(unit, (int)Math.Clamp(min, 1, SpecLimits.MaxSteps), (int)Math.Clamp(max, 1, SpecLimits.MaxSteps), rungEvalBatches);
    }

    private static AlgorithmSpec ReadAlgorithm(JsonObject document, FieldReader reader)
    {
        if (reader.Object(document, "$.algorithm", "algorithm", ["kind", "eta", "trials", "seed"]) is not { } algorithm) return new();
        var kind = reader.Enum(algorithm, "$.algorithm.kind", "kind", AlgorithmKind.Asha, ("grid", AlgorithmKind.Grid), ("random", AlgorithmKind.Random),
            ("successiveHalving", AlgorithmKind.SuccessiveHalving), ("asha", AlgorithmKind.Asha), ("hyperband", AlgorithmKind.Hyperband));
        var eta = reader.Whole(algorithm, "$.algorithm.eta", "eta", 2, 100) ?? 3;
        var trials = reader.Whole(algorithm, "$.algorithm.trials", "trials", 1, 100_000);
        var seed = reader.Whole(algorithm, "$.algorithm.seed", "seed", int.MinValue, int.MaxValue) ?? 1;
        return new AlgorithmSpec(kind, eta, trials, seed);
    }

    private static SweepBudget ReadBudget(JsonObject document, FieldReader reader)
    {
        if (reader.Object(document, "$.budget", "budget", ["kwh", "gramsCo2", "trials"]) is not { } budget) return new();
        return new SweepBudget(reader.Positive(budget, "$.budget.kwh", "kwh"), reader.Positive(budget, "$.budget.gramsCo2", "gramsCo2"),
            reader.Whole(budget, "$.budget.trials", "trials", 1, 100_000));
    }
}
