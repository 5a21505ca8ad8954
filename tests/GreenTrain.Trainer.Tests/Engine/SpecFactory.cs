using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Tests.Engine;

/// <summary>Small specs that train in seconds on two CPU cores.</summary>
internal static class SpecFactory
{
    public static ExperimentSpec Digits(PrecisionKind precision = PrecisionKind.Fp32, int? steps = null, int? epochs = 20, int batchSize = 64, int accumulation = 1, int seed = 1337) => new()
    {
        Name = $"digits-{precision}",
        Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 128, Depth = 1 },
        Training = new TrainingSpec
        {
            Epochs = steps is null ? epochs : null,
            Steps = steps,
            BatchSize = batchSize,
            AccumulationSteps = accumulation,
            Precision = precision,
            Seed = seed,
            EvalEverySteps = 50,
            Optimizer = new OptimizerSpec { LearningRate = 3e-3 },
            Schedule = new ScheduleSpec { WarmupSteps = 10 },
        },
    };
}
