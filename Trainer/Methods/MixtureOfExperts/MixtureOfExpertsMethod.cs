using System.Text.Json.Nodes;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Models;
using GreenTrain.Trainer.Models.Moe;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.MixtureOfExperts;

/// <summary>
/// The training side of model.moe: adds each MoE layer's auxiliary losses (Switch load balancing and ST-MoE z-loss)
/// to the optimised loss, keeps the routers' load counters across pauses, and reports FLOPs per token, active and
/// total parameters, dropped tokens and the expert load histogram (result.methods.moe). The layers themselves are
/// ordinary parameters of the model, so checkpoints and the flat buffers hold them like any other weight.
/// <code>
/// Init        find the model's MoE layers
/// AfterLoss   loss += sum of the layers' auxiliary losses / accumulation steps (what is logged is what is optimised)
/// StepEnd     at log steps, read the auxiliary part of the logged loss back (one host sync, as the loop's own)
/// </code>
/// </summary>
public sealed class MixtureOfExpertsMethod : IStatefulMethod, IReportingMethod, IDisposable
{
    private IReadOnlyList<MoeFeedForward> _layers = [];
    private Tensor? _auxiliarySum;
    private long _auxiliarySteps;

    public string Name => "moe";

    /// <summary>Mean auxiliary loss per optimizer step over the last log window (its share of the logged training loss).</summary>
    public double? AuxiliaryLoss { get; private set; }

    public IReadOnlyList<MoeFeedForward> Layers => _layers;

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.AfterLoss || (trainingEvent == TrainingEvent.StepEnd && state.IsLogStep);

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                _layers = state.Network is Gpt { MoeLayers.Count: > 0 } gpt
                    ? gpt.MoeLayers
                    : throw new InvalidOperationException("model.moe needs a gpt model with at least one mixture-of-experts block");
                break;
            case TrainingEvent.AfterLoss:
                var auxiliary = _layers.Select(l => l.AuxiliaryLoss ?? throw new InvalidOperationException("an MoE layer has not run forward")).Aggregate((a, b) => a + b)
                    / state.Spec.Training.AccumulationSteps;
                state.Loss = state.Loss! + auxiliary;
                _auxiliarySum ??= zeros(1, ScalarType.Float32, state.Device).DetachFromDisposeScope();
                _auxiliarySum.add_(auxiliary.detach());
                if (state.MicroStep == state.Spec.Training.AccumulationSteps - 1) _auxiliarySteps++;
                break;
            case TrainingEvent.StepEnd when _auxiliarySum is not null && _auxiliarySteps > 0:
                AuxiliaryLoss = _auxiliarySum.item<float>() / _auxiliarySteps;
                _auxiliarySum.zero_();
                _auxiliarySteps = 0;
                break;
        }
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(new Saved([.. _layers.Select(l => l.Load.Save())]));

    public void Load(MethodSection section, TrainingState state)
    {
        var saved = section.Values<Saved>();
        if (saved.Layers.Length != _layers.Count) throw new InvalidDataException($"the checkpoint has {saved.Layers.Length} MoE layers, the model {_layers.Count}");
        for (var i = 0; i < _layers.Count; i++) _layers[i].Load.Load(saved.Layers[i]);
    }

    public JsonNode Report(TrainingState state) => MoeReport.Build((Gpt)state.Network, state.Spec.Model.Width, (long)state.Spec.Training.BatchSize * state.Spec.Model.ContextLength, AuxiliaryLoss);

    public void Dispose() => _auxiliarySum?.Dispose();

    private sealed record Saved(ExpertLoadCounts[] Layers);
}
