using System.Diagnostics;
using GreenTrain.Trainer.Logging;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// The training loop: one method, in nanoGPT's order, raising a TrainingEvent at each point
/// (see TrainingEvent for the loop with its markers). The state's methods run before the observers at
/// every event (MethodEvents). Each optimizer step runs in its own dispose scope, so no step's temporaries outlive it.
/// </summary>
public sealed class TrainingLoop(IReadOnlyList<ITrainingObserver> observers, ILogger logger)
{
    /// <summary>How often (in optimizer steps) the mean training loss is read back from the device.</summary>
    public int LogEverySteps { get; init; } = 10;

    /// <summary>Batch size for evaluations; larger than training batches because no activations are kept.</summary>
    public int EvaluationBatchSize { get; init; } = 512;

    /// <summary>Validation batches each evaluation scores; null: the spec's training.evalBatches (RunOptions.EvalBatches).</summary>
    public int? EvalBatches { get; init; }

    public void Run(TrainingState state, CancellationToken cancellationToken = default)
    {
        var training = state.Spec.Training;
        var clip = training.Optimizer.GradientClip ?? 0;
        var accumulation = training.AccumulationSteps;
        var module = state.Network.Module;
        using var runningLoss = zeros(1, ScalarType.Float32, state.Device).DetachFromDisposeScope();
        long lossWindowSteps = 0, lastEvaluationStep = -1;
        var clock = Stopwatch.StartNew();

        Raise(TrainingEvent.FitStart, state);
        module.train();
        while (state.Step < state.TotalSteps && state.StopReason is null)
        {
            using var stepScope = NewDisposeScope();
            if (cancellationToken.IsCancellationRequested) state.StopReason = "cancelled";

            // Schedule: the learning rate for this step.
            state.LearningRate = LearningRateSchedule.At(state.Step, state.TotalSteps, training.Optimizer.LearningRate, training.Schedule);
            Raise(TrainingEvent.StepStart, state);

            // Evaluate every N steps (before the step, as nanoGPT does); observers may stop the run here.
            if (state.Step > 0 && state.Step % training.EvalEverySteps == 0)
            {
                state.TrainingSeconds += Lap(clock, state);
                Evaluate(state);
                lastEvaluationStep = state.Step;
                clock.Restart();
                if (state.StopReason is not null) break;
            }

            // Micro-steps: forward, loss, backward, gradients summed over the accumulation.
            for (var micro = 0; micro < accumulation; micro++)
            {
                state.MicroStep = micro;
                state.Batch = state.Sampler.Next();
                Raise(TrainingEvent.BatchStart, state);
                state.Outputs = module.forward(state.Batch.Input);
                Raise(TrainingEvent.AfterForward, state);
                Raise(TrainingEvent.BeforeLoss, state);
                state.Loss = state.Criterion(state.Outputs, state.Batch).div_(accumulation);
                Raise(TrainingEvent.AfterLoss, state);
                runningLoss.add_(state.Loss.detach());
                state.BackwardLoss = state.Loss;
                Raise(TrainingEvent.BeforeBackward, state);
                state.BackwardLoss.backward();
                Raise(TrainingEvent.AfterBackward, state);
                state.ExamplesSeen += state.Batch.Examples;
                state.TargetsSeen += state.Batch.Target.numel();
            }

            // Clip, step, zero.
            Raise(TrainingEvent.BeforeClip, state);
            if (clip > 0 && !state.SkipStep) GradientClipping.ClipByGlobalNorm(state.Parameters.MasterGrad, clip);
            Raise(TrainingEvent.BeforeOptimizerStep, state);
            if (!state.SkipStep) state.Optimizer.Step(state.LearningRate);
            else state.SkippedSteps++;
            Raise(TrainingEvent.AfterOptimizerStep, state);
            state.Parameters.MasterGrad.zero_();
            if (state.Parameters.HasSeparateCompute) state.Parameters.ComputeGrad.zero_();
            state.SkipStep = false;
            state.Step++;

            // Log: read the loss back only every LogEverySteps steps (a host sync), then let observers look.
            lossWindowSteps++;
            state.IsLogStep = state.Step % LogEverySteps == 0 || state.Step == state.TotalSteps;
            if (state.IsLogStep)
            {
                state.TrainLoss = runningLoss.item<float>() / lossWindowSteps;
                runningLoss.zero_();
                lossWindowSteps = 0;
            }

            Raise(TrainingEvent.StepEnd, state);
            state.Batch = null;
            state.Outputs = null;
            state.Loss = null;
            state.BackwardLoss = null;
        }

        state.TrainingSeconds += Lap(clock, state);
        if (lastEvaluationStep != state.Step && !state.Suspended)
        {
            Evaluate(state);
        }

        Raise(TrainingEvent.FitEnd, state);
        TrainerLog.TrainingFinished(logger, state.Step, state.StopReason ?? "all steps done");
    }

    private void Evaluate(TrainingState state)
    {
        var clock = Stopwatch.StartNew();
        Raise(TrainingEvent.EvaluationStart, state);
        var (loss, accuracy) = Evaluator.Evaluate(state.Network, state.Data.Validation, EvaluationBatchSize, EvalBatches ?? state.Spec.Training.EvalBatches, state.Parameters.ComputeType);
        state.EvaluationSeconds += clock.Elapsed.TotalSeconds;
        state.Evaluations.Add(new EvaluationRecord(state.Step, state.Sampler.EpochsDone, state.TrainLoss, loss, accuracy, state.TrainingSeconds + state.EvaluationSeconds, state.LearningRate));
        Raise(TrainingEvent.EvaluationEnd, state);
    }

    private static double Lap(Stopwatch clock, TrainingState state)
    {
        DeviceSync.Synchronize(state.Device);
        return clock.Elapsed.TotalSeconds;
    }

    private void Raise(TrainingEvent trainingEvent, TrainingState state) => MethodEvents.Raise(trainingEvent, state, observers, logger);
}
