using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Methods.Pruning;

/// <summary>
/// Gradual magnitude pruning, unstructured, layer by layer (MagnitudePruning has the maths).
/// <code>
/// Init                 choose the layers: every linear and convolution weight
/// FitStart             zero what the masks prune (a resumed run has its masks back from its section)
/// AfterOptimizerStep   on a pruning step, new masks at s_t from the updated weights; every step, zero the pruned
///                      weights in master and compute copy (reverse order: before mixed precision refreshes its copy)
/// FitEnd               report the achieved sparsity per layer
/// </code>
/// </summary>
public sealed class MagnitudePruningMethod(MagnitudePruningSpec spec) : IStatefulMethod, IReportingMethod, IDisposable
{
    private readonly WeightMasks _masks = new();
    private List<string> _layers = [];
    private double _sparsity;

    public string Name => "magnitude-pruning";

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.FitStart or TrainingEvent.AfterOptimizerStep;

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                _layers = [.. WeightLayers.Of(state.Network.Module).Select(l => l.WeightName)];
                break;
            case TrainingEvent.FitStart:
                _masks.Apply(state.Parameters);
                break;
            case TrainingEvent.AfterOptimizerStep:
                var completed = state.Step + 1;
                var (start, end) = MagnitudePruning.Window(spec, state.TotalSteps);
                if (MagnitudePruning.IsPruningStep(completed, start, end, spec.EverySteps))
                {
                    _sparsity = MagnitudePruning.SparsityAt(completed, start, end, spec.InitialSparsity, spec.FinalSparsity);
                    foreach (var name in _layers)
                    {
                        using var weight = Engine.FlatParameters.View(state.Parameters.Master, state.Parameters.SlotOf(name)!);
                        _masks.Set(name, MagnitudePruning.Mask(weight, _sparsity));
                    }
                }
                _masks.Apply(state.Parameters);
                break;
        }
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(new Saved(_sparsity), _masks.ForSection());

    public void Load(MethodSection section, TrainingState state)
    {
        _sparsity = section.Values<Saved>().Sparsity;
        _masks.Load(section, _layers, state.Parameters, state.Device);
    }

    public JsonNode Report(TrainingState state)
    {
        var report = WeightMasks.SparsityReport(state.Parameters, _layers);
        report["targetSparsity"] = spec.FinalSparsity;
        return report;
    }

    public void Dispose() => _masks.Dispose();

    private sealed record Saved(double Sparsity);
}
