namespace GreenTrain.Scheduler.Tests.Sweeps;

/// <summary>Sweep bodies for POST /sweeps: the digits MLP with a few steps, its learning rate and width varied.</summary>
internal static class SweepBodies
{
    public const string Base = """
        { "name": "digits-mlp", "dataset": { "kind": "digits", "validationFraction": 0.1, "testFraction": 0.2 },
          "model": { "kind": "mlp", "width": 32, "depth": 1 },
          "training": { "steps": 10, "batchSize": 64, "evalEverySteps": 5, "optimizer": { "kind": "adamw", "learningRate": 0.003 } },
          "carbon": { "pausable": true, "allowedRegions": ["DE"] } }
        """;

    /// <summary>Successive halving over four configurations (two learning rates x two widths), rungs at 10 and 30 steps.</summary>
    public static string SuccessiveHalving(DateTimeOffset deadline) => $$"""
        { "name": "digits-sh", "base": {{Base}},
          "space": [
            { "path": "$.training.optimizer.learningRate", "kind": "choice", "values": [0.001, 0.01] },
            { "path": "$.model.width", "kind": "choice", "values": [16, 32] } ],
          "metric": { "name": "accuracy" },
          "resource": { "unit": "steps", "min": 10, "max": 30 },
          "algorithm": { "kind": "successiveHalving", "eta": 3, "trials": 4, "seed": 1 },
          "deadline": "{{deadline:O}}" }
        """;
}
