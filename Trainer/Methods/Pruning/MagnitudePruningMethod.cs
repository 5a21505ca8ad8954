using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Methods.Pruning;

/// <summary>
/// Gradual magnitude pruning, unstructured, over the whole model (one threshold) or layer by layer
/// (MagnitudePruning has the maths).
/// <code>
/// Init                 choose the layers: every linear and convolution weight, less the first when it stays dense
/// FitStart             zero what the masks prune (a resumed run has its masks back from its section)
/// BeforeClip           zero the pruned weights' gradients (after mixed precision has unscaled them)
/// AfterOptimizerStep   on a pruning step, new masks at s_t from the updated weights and the pruned weights'
///                      optimizer state zeroed; every step, zero the pruned weights in master and compute copy
///                      (reverse order: before mixed precision refreshes its copy)
/// FitEnd               report the achieved sparsity per layer
/// </code>
/// </summary>
public sealed class MagnitudePruningMethod(MagnitudePruningSpec spec) : IStatefulMethod, IReportingMethod, IDisposable
{
    private readonly WeightMasks _masks = new();
    private List<string> _layers = [];
    private List<string> _denseLayers = [];
    private double _sparsity;

    public string Name => "magnitude-pruning";

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.FitStart or TrainingEvent.BeforeClip or TrainingEvent.AfterOptimizerStep;

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                var all = WeightLayers.Of(state.Network.Module).Select(l => l.WeightName).ToList();
                _denseLayers = spec.DenseFirstLayer && all.Count > 1 ? [all[0]] : [];
                _layers = [.. all.Except(_denseLayers)];
                break;
            case TrainingEvent.FitStart:
                _masks.Apply(state.Parameters);
                break;
            case TrainingEvent.BeforeClip:
                _masks.ZeroGradients(state.Parameters);
                break;
            case TrainingEvent.AfterOptimizerStep:
                var completed = state.Step + 1;
                var (start, end) = MagnitudePruning.Window(spec, state.TotalSteps);
                if (MagnitudePruning.IsPruningStep(completed, start, end, spec.EverySteps))
                {
                    _sparsity = MagnitudePruning.SparsityAt(completed, start, end, spec.InitialSparsity, spec.FinalSparsity);
                    Prune(state.Parameters);
                    _masks.ZeroOptimizerState(state.Optimizer, state.Parameters);
                }
                _masks.Apply(state.Parameters);
                break;
        }
    }

    private void Prune(FlatParameters parameters)
    {
        var weights = _layers.Select(name => FlatParameters.View(parameters.Master, parameters.SlotOf(name)!)).ToList();
        try
        {
            if (spec.Scope == PruningScope.Layer)
            {
                for (var i = 0; i < _layers.Count; i++) _masks.Set(_layers[i], MagnitudePruning.Mask(weights[i], _sparsity));
                return;
            }

            var total = _layers.Sum(name => parameters.SlotOf(name)!.Count);
            var masks = MagnitudePruning.GlobalMasks(weights, (long)Math.Floor(_sparsity * total));
            for (var i = 0; i < _layers.Count; i++) _masks.Set(_layers[i], masks[i]);
        }
        finally
        {
            foreach (var weight in weights) weight.Dispose();
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
        var report = WeightMasks.SparsityReport(state.Parameters, _denseLayers.Concat(_layers));
        report["targetSparsity"] = spec.FinalSparsity;
        report["scope"] = spec.Scope.ToString().ToLowerInvariant();
        report["denseLayers"] = new JsonArray([.. _denseLayers.Select(s => (JsonNode)s)]);
        return report;
    }

    public void Dispose() => _masks.Dispose();

    private sealed record Saved(double Sparsity);
}
