using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Energy.Training;

/// <summary>
/// Cuts a training run's energy into windows at the loop's events: a train window every
/// <see cref="EveryNSteps"/> steps or <see cref="EveryPeriod"/>, whichever comes first, an evaluate window around
/// each evaluation, and a last window at FitEnd. Each boundary waits for the device first (DeviceSync), so
/// queued kernels are billed to the window that queued them. It only watches: it changes nothing in the run.
/// The meter publishes each window to the run's sink once its readings are in (GPUs are read off the training
/// thread); <paramref name="sink"/> here only takes the run info at FitStart.
/// </summary>
public sealed class EnergyWindowObserver(EnergyMeter meter, IEnergyWindowSink sink, EnergyRunInfo runInfo) : ITrainingObserver, IDisposable
{
    private long _windowStartStep;
    private DateTimeOffset _windowStart;

    /// <summary>Steps per train window; a boundary costs a device sync plus the cheap sources' reads and a hand-off to the GPU readers (docs/benchmarks.md).</summary>
    public int EveryNSteps { get; init; } = 50;

    /// <summary>Longest train window, so long steps still give a fine time series for the intensity.</summary>
    public TimeSpan EveryPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                var training = state.Spec.Training;
                sink.WriteRunInfo(runInfo with
                {
                    TotalSteps = state.TotalSteps,
                    StepsPerEpoch = Math.Max(1, state.Sampler.BatchesPerEpoch / Math.Max(1, training.AccumulationSteps)),
                    ProjectName = runInfo.ProjectName ?? state.Spec.Name,
                });
                DeviceSync.Synchronize(state.Device);
                meter.Open(EnergyPhase.Train, state.Step);
                Started(state);
                break;
            case TrainingEvent.EvaluationStart:
                Mark(EnergyPhase.Evaluate, state);
                break;
            case TrainingEvent.EvaluationEnd:
                Mark(EnergyPhase.Train, state);
                break;
            case TrainingEvent.StepEnd when state.Step - _windowStartStep >= EveryNSteps || DateTimeOffset.UtcNow - _windowStart >= EveryPeriod:
                Mark(EnergyPhase.Train, state);
                break;
            case TrainingEvent.FitEnd when meter.IsOpen:
                DeviceSync.Synchronize(state.Device);
                meter.Close(state.Step); // waits for the last readings, so the last window reaches the sink
                break;
        }
    }

    /// <summary>Closes the open window and opens one of <paramref name="phase"/>; callers use it around checkpoints and pauses.</summary>
    public void Mark(EnergyPhase phase, TrainingState state)
    {
        if (!meter.IsOpen)
        {
            return;
        }
        DeviceSync.Synchronize(state.Device);
        meter.Switch(phase, state.Step);
        Started(state);
    }

    private void Started(TrainingState state)
    {
        _windowStartStep = state.Step;
        _windowStart = DateTimeOffset.UtcNow;
    }

    public void Dispose() => meter.Dispose();
}
