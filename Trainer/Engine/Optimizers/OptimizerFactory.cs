using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Engine.Optimizers;

public static class OptimizerFactory
{
    public static IFlatOptimizer Create(FlatParameters parameters, OptimizerSpec spec) => spec.Kind switch
    {
        OptimizerKind.AdamW => new AdamW(parameters, spec),
        OptimizerKind.Sgd => new Sgd(parameters, spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown optimizer"),
    };
}
