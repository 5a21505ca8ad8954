using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Pruning;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Methods.StructuredSparsity;

/// <summary>
/// N:M structured sparsity, ASP's recipe: dense training, one pruning step, retraining with the mask fixed
/// (NmSparsity has the maths). Layers whose rows do not split into whole groups stay dense, as in ASP.
/// <code>
/// Init                 choose the layers: linear and convolution weights whose rows split into groups
/// FitStart             zero what the masks prune; prune at once when pruneAtFraction is 0
/// BeforeClip           zero the pruned weights' gradients, once pruned
/// AfterOptimizerStep   at the pruning step, the N:M masks from the trained weights and the pruned weights' optimizer
///                      state zeroed; every step, zero the pruned weights
/// FitEnd               report the achieved sparsity per layer
/// </code>
/// </summary>
public sealed class StructuredSparsityMethod(StructuredSparsitySpec spec) : IStatefulMethod, IReportingMethod, IDisposable
{
    private readonly WeightMasks _masks = new();
    private List<string> _layers = [];
    private List<string> _skipped = [];

    public string Name => "structured-sparsity";

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.FitStart or TrainingEvent.BeforeClip or TrainingEvent.AfterOptimizerStep;

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        var pruneAt = (long)Math.Round(spec.PruneAtFraction * state.TotalSteps);
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                var all = WeightLayers.Of(state.Network.Module);
                var weights = state.Network.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
                _layers = [.. all.Where(l => NmSparsity.Fits(weights[l.WeightName], spec.GroupSize)).Select(l => l.WeightName)];
                _skipped = [.. all.Select(l => l.WeightName).Except(_layers)];
                break;
            case TrainingEvent.FitStart:
                if (pruneAt == 0 && _masks.IsEmpty) Prune(state);
                _masks.Apply(state.Parameters);
                break;
            case TrainingEvent.BeforeClip:
                _masks.ZeroGradients(state.Parameters);
                break;
            case TrainingEvent.AfterOptimizerStep:
                if (state.Step + 1 == pruneAt) Prune(state);
                _masks.Apply(state.Parameters);
                break;
        }
    }

    private void Prune(TrainingState state)
    {
        foreach (var name in _layers)
        {
            using var weight = FlatParameters.View(state.Parameters.Master, state.Parameters.SlotOf(name)!);
            _masks.Set(name, NmSparsity.Mask(weight, spec.Keep, spec.GroupSize));
        }
        _masks.ZeroOptimizerState(state.Optimizer, state.Parameters);
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(new Saved(!_masks.IsEmpty), _masks.ForSection());

    public void Load(MethodSection section, TrainingState state) => _masks.Load(section, _layers, state.Parameters, state.Device);

    public JsonNode Report(TrainingState state)
    {
        var report = WeightMasks.SparsityReport(state.Parameters, _layers);
        report["pattern"] = $"{spec.Keep}:{spec.GroupSize}";
        report["denseLayers"] = new JsonArray([.. _skipped.Select(s => (JsonNode)s)]);
        return report;
    }

    public void Dispose() => _masks.Dispose();

    private sealed record Saved(bool Pruned);
}
