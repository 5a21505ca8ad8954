using System.Text.Json.Nodes;
using GreenTrain.Scheduler.Sweeps;

namespace GreenTrain.Benchmarks.Sweeps;

/// <summary>
/// The two searched spaces, each 27 configurations (learning rate x width x depth), with trials kept tiny so the whole
/// benchmark fits in minutes on two loaded cores: a full trial is <c>steps</c> optimizer steps, the first rung 1/27 of it.
/// Validation is scored only at segment ends (evalEverySteps past the horizon).
/// </summary>
public static class SweepWorkloads
{
    public static SweepSpec Digits(int steps, int minSteps, AlgorithmSpec algorithm) => Spec("digits-mlp", steps, minSteps, algorithm, new JsonObject
    {
        ["name"] = "digits-mlp",
        ["dataset"] = new JsonObject { ["kind"] = "digits", ["validationFraction"] = 0.15, ["testFraction"] = 0.2 },
        ["model"] = new JsonObject { ["kind"] = "mlp", ["width"] = 64, ["depth"] = 1 },
        ["training"] = Training(batchSize: 32, evalBatches: null),
    }, widths: [16, 32, 64]);

    public static SweepSpec FashionCnn(string folder, int steps, int minSteps, AlgorithmSpec algorithm) => Spec("fashion-cnn", steps, minSteps, algorithm, new JsonObject
    {
        ["name"] = "fashion-cnn",
        ["dataset"] = new JsonObject { ["kind"] = "fashion-mnist", ["path"] = folder, ["validationFraction"] = 0.1 },
        ["model"] = new JsonObject { ["kind"] = "cnn", ["width"] = 8, ["depth"] = 1 },
        // 4 validation batches of 512: 2,048 of the 6,000 held-out images per rung decision.
        ["training"] = Training(batchSize: 64, evalBatches: 4),
    }, widths: [4, 8, 16]);

    /// <summary>The sweep with its intermediate rungs scored on the first <paramref name="batches"/> validation batches (null: unchanged).</summary>
    public static SweepSpec WithRungEvalBatches(SweepSpec spec, int? batches) => spec with { Resource = spec.Resource with { RungEvalBatches = batches } };

    private static JsonObject Training(int batchSize, int? evalBatches)
    {
        var training = new JsonObject
        {
            ["batchSize"] = batchSize,
            ["seed"] = 1337,
            ["evalEverySteps"] = 1_000_000,
            ["optimizer"] = new JsonObject { ["kind"] = "adamw", ["learningRate"] = 0.003, ["weightDecay"] = 0.01, ["gradientClip"] = 1.0 },
            ["schedule"] = new JsonObject { ["kind"] = "cosine", ["warmupSteps"] = 5, ["minLearningRateFraction"] = 0.1 },
        };
        if (evalBatches is { } batches) training["evalBatches"] = batches;
        return training;
    }

    private static SweepSpec Spec(string name, int steps, int minSteps, AlgorithmSpec algorithm, JsonObject baseSpec, int[] widths) => new()
    {
        Name = name,
        Base = baseSpec,
        Space =
        [
            new SearchDimension("$.training.optimizer.learningRate", DimensionKind.Choice, [0.0003, 0.002, 0.01], 0, 0, false, 3),
            new SearchDimension("$.model.width", DimensionKind.Choice, [.. widths.Select(w => (JsonNode?)w)], 0, 0, false, 3),
            new SearchDimension("$.model.depth", DimensionKind.Choice, [1, 2, 3], 0, 0, false, 3),
        ],
        Metric = new SweepMetric("accuracy", MetricGoal.Maximize),
        Resource = new ResourceSpec(ResourceUnit.Steps, minSteps, steps),
        Algorithm = algorithm,
    };
}
