using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Logging;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.MixedPrecision;

/// <summary>
/// bf16 or fp16 compute with fp32 master weights and optimizer state (TorchSharp has no autocast or
/// GradScaler, so this is ours). The model's weights are a 16-bit copy of the fp32 master, refreshed
/// once per optimizer step rather than cast in every forward pass; gradients are summed in fp32.
/// For fp16 a dynamic loss scale keeps small gradients from flushing to zero; it is this method's
/// checkpoint section.
/// <code>
/// FitStart            cast the model to the compute type; fp16: start the loss scale
/// BatchStart          cast floating-point inputs to the compute type
/// BeforeBackward      fp16: backward differentiates the loss times the scale (the logged loss stays unscaled)
/// AfterBackward       add the 16-bit gradients into the fp32 master gradients
/// BeforeClip          fp16: divide by the scale; skip the step on inf or NaN
/// AfterOptimizerStep  refresh the 16-bit weights from the master (after later methods' masks: reverse order); fp16: update the scale
/// </code>
/// </summary>
public sealed class MixedPrecisionMethod(PrecisionKind precision, LossScalerSettings? scalerSettings = null) : IStatefulMethod, IReportingMethod
{
    private readonly ScalarType _computeType = PrecisionCasts.ComputeType(precision);
    private readonly LossScalerSettings _scaler = scalerSettings ?? new LossScalerSettings();
    private bool _overflow;

    public string Name => "mixed-precision";

    /// <summary>fp16's dynamic loss scale; null when no loss scaling is in use (bf16) or before FitStart.</summary>
    public LossScalerState? LossScaler { get; private set; }

    private bool UsesLossScaling => precision == PrecisionKind.Fp16;

    public bool Match(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart or TrainingEvent.BatchStart or TrainingEvent.AfterBackward or TrainingEvent.AfterOptimizerStep => true,
        TrainingEvent.BeforeBackward or TrainingEvent.BeforeClip => UsesLossScaling,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        var parameters = state.Parameters;
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                parameters.UseComputeType(_computeType);
                if (UsesLossScaling) LossScaler ??= new LossScalerState(_scaler.InitialScale, 0);
                break;
            case TrainingEvent.BatchStart when state.Batch!.Input.is_floating_point():
                state.Batch = state.Batch with { Input = state.Batch.Input.to(_computeType) };
                break;
            case TrainingEvent.BeforeBackward:
                state.BackwardLoss = state.BackwardLoss!.mul(LossScaler!.Scale);
                break;
            case TrainingEvent.AfterBackward:
                PrecisionCasts.AccumulateIntoMaster(parameters.ComputeGrad, parameters.MasterGrad);
                break;
            case TrainingEvent.BeforeClip:
                _overflow = LossScaling.UnscaleAndFindOverflow(parameters.MasterGrad, LossScaler!.Scale);
                if (_overflow)
                {
                    state.SkipStep = true;
                    TrainerLog.LossScaleOverflow(logger, state.Step, LossScaler.Scale);
                }

                break;
            case TrainingEvent.AfterOptimizerStep:
                if (!state.SkipStep) parameters.RefreshCompute();
                if (UsesLossScaling) LossScaler = LossScaling.Next(LossScaler!, _overflow, _scaler);
                _overflow = false;
                break;
        }
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(new Saved(LossScaler));

    public void Load(MethodSection section, TrainingState state) => LossScaler = section.Values<Saved>().LossScaler;

    public JsonNode Report(TrainingState state) => new JsonObject
    {
        ["computeType"] = _computeType.ToString(),
        ["finalLossScale"] = LossScaler?.Scale,
        ["skippedSteps"] = state.SkippedSteps,
    };

    private sealed record Saved(LossScalerState? LossScaler);
}
