using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Distillation;
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
    private static readonly Dictionary<Type, Func<MethodSpec, ExperimentSpec, MethodServices, ITrainingMethod>> Factories = new();

    static TrainingMethodRegistry()
    {
        Add<MagnitudePruningSpec>((method, _) => new MagnitudePruningMethod(method));
        Add<StructuredSparsitySpec>((method, _) => new StructuredSparsityMethod(method));
        Add<QuantizationAwareSpec>((method, _) => new QuantizationAwareMethod(method));
        Add<DistillationSpec>((method, spec, services) => new DistillationMethod(method, PathOf(method, spec), services.Teachers));
    }

    public static IReadOnlyCollection<Type> Registered => Factories.Keys;

    /// <summary>
    /// The run's methods: mixed precision first when the spec asks for 16 bits, then the mixture of experts' losses and
    /// counters when model.moe is set, then training.methods in order.
    /// </summary>
    /// <param name="services">What some methods need from the host (a worker's teachers from the store); none by default.</param>
    public static List<ITrainingMethod> For(ExperimentSpec spec, MethodServices? services = null)
    {
        services ??= MethodServices.None;
        var methods = new List<ITrainingMethod>();
        if (spec.Training.Precision != PrecisionKind.Fp32) methods.Add(new MixedPrecisionMethod(spec.Training.Precision));
        if (spec.Model.Moe is not null) methods.Add(new MixtureOfExpertsMethod());
        foreach (var method in spec.Training.Methods ?? [])
        {
            if (!Factories.TryGetValue(method.GetType(), out var create))
            {
                throw new InvalidOperationException($"no Trainer class applies {method.GetType().Name}: register it in TrainingMethodRegistry");
            }
            methods.Add(create(method, spec, services));
        }
        return methods;
    }

    private static void Add<TSpec>(Func<TSpec, ExperimentSpec, ITrainingMethod> create) where TSpec : MethodSpec =>
        Factories[typeof(TSpec)] = (method, spec, _) => create((TSpec)method, spec);

    private static void Add<TSpec>(Func<TSpec, ExperimentSpec, MethodServices, ITrainingMethod> create) where TSpec : MethodSpec =>
        Factories[typeof(TSpec)] = (method, spec, services) => create((TSpec)method, spec, services);

    /// <summary>The JSON path of a method's entry, for the errors it finds only when it runs (a missing teacher file).</summary>
    private static string PathOf(MethodSpec method, ExperimentSpec spec) =>
        $"$.training.methods[{spec.Training.Methods!.ToList().FindIndex(m => ReferenceEquals(m, method))}]";
}

/// <summary>What the host gives methods that need more than the spec: a worker passes the store's teachers.</summary>
public sealed record MethodServices(ITeacherSource? Teachers = null)
{
    public static MethodServices None { get; } = new();
}
