using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods;

/// <summary>Small runs with methods, and a method's checkpoint section taken through its bytes and back.</summary>
internal static class MethodTesting
{
    public static ExperimentSpec Digits(PrecisionKind precision, int steps, int accumulation, params MethodSpec[] methods)
    {
        var spec = SpecFactory.Digits(precision, steps: steps, accumulation: accumulation);
        return spec with { Training = spec.Training with { EvalEverySteps = 20, EvalBatches = 2, Methods = methods } };
    }

    public static TrainingState Train(ExperimentSpec spec)
    {
        var state = TrainingSession.Prepare(spec, CPU);
        new TrainingLoop(TrainingSession.StandardObservers(spec), NullLogger.Instance).Run(state);
        return state;
    }

    /// <summary>The method's section as a checkpoint writes it and a restore reads it.</summary>
    public static MethodSection ThroughBytes(IStatefulMethod method, TrainingState state) =>
        MethodSectionCodec.Decode(method.Name, MethodSectionCodec.Encode(method.Save(state)));

    /// <summary>Bytes of every stateful method's section, to compare two runs' method states exactly.</summary>
    public static List<byte[]> SectionBytes(TrainingState state) =>
        [.. state.Methods.OfType<IStatefulMethod>().Select(m => MethodSectionCodec.Encode(m.Save(state)))];

    public static float[] Host(Tensor tensor) => tensor.detach().cpu().to(ScalarType.Float32).data<float>().ToArray();
}
