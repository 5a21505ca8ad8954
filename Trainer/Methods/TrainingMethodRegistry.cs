using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.MixedPrecision;
using GreenTrain.Trainer.Methods.MixtureOfExperts;
using GreenTrain.Trainer.Methods.Pruning;
using GreenTrain.Trainer.Methods.Quantization;
using GreenTrain.Trainer.Methods.StructuredSparsity;

namespace GreenTrain.Trainer.Methods;

/// <summary>
/// Which class applies each method record of the spec (MethodSpecRegistry names the records): a new
/// method adds one line here and one in MethodSpecRegistry, and the engine needs no change.
/// </summary>
public static class TrainingMethodRegistry
{
    private static readonly Dictionary<Type, Func<MethodSpec, ExperimentSpec, ITrainingMethod>> Factories = new();

    static TrainingMethodRegistry()
    {
        Add<MagnitudePruningSpec>((method, _) => new MagnitudePruningMethod(method));
        Add<StructuredSparsitySpec>((method, _) => new StructuredSparsityMethod(method));
        Add<QuantizationAwareSpec>((method, _) => new QuantizationAwareMethod(method));
    }

    public static IReadOnlyCollection<Type> Registered => Factories.Keys;

    /// <summary>
    /// The run's methods: mixed precision first when the spec asks for 16 bits, then the mixture of experts' losses and
    /// counters when model.moe is set, then training.methods in order.
    /// </summary>
    public static List<ITrainingMethod> For(ExperimentSpec spec)
    {
        var methods = new List<ITrainingMethod>();
        if (spec.Training.Precision != PrecisionKind.Fp32) methods.Add(new MixedPrecisionMethod(spec.Training.Precision));
        if (spec.Model.Moe is not null) methods.Add(new MixtureOfExpertsMethod());
        foreach (var method in spec.Training.Methods ?? [])
        {
            if (!Factories.TryGetValue(method.GetType(), out var create))
            {
                throw new InvalidOperationException($"no Trainer class applies {method.GetType().Name}: register it in TrainingMethodRegistry");
            }
            methods.Add(create(method, spec));
        }
        return methods;
    }

    private static void Add<TSpec>(Func<TSpec, ExperimentSpec, ITrainingMethod> create) where TSpec : MethodSpec =>
        Factories[typeof(TSpec)] = (method, spec) => create((TSpec)method, spec);
}
