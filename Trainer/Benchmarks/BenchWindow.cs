using System.Diagnostics;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// Measures a window of training steps: opens at the start of step `from` and closes at the end of the
/// last step, each time after the device has finished its queued work, reading the clock and the energy
/// counter. It only watches the run.
/// </summary>
public sealed class BenchWindow(long from, NvmlEnergy? energy) : ITrainingObserver
{
    private readonly Stopwatch _clock = new();
    private double? _startJoules;

    public double Seconds { get; private set; }

    public double? Joules { get; private set; }

    public long Steps { get; private set; }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.StepStart && state.Step == from)
        {
            DeviceSync.Synchronize(state.Device);
            _startJoules = energy?.ReadJoules();
            _clock.Restart();
        }
        else if (trainingEvent == TrainingEvent.StepEnd && state.Step == state.TotalSteps && _clock.IsRunning)
        {
            DeviceSync.Synchronize(state.Device);
            Seconds = _clock.Elapsed.TotalSeconds;
            Joules = energy?.ReadJoules() - _startJoules;
            Steps = state.Step - from;
            _clock.Stop();
        }
    }
}
