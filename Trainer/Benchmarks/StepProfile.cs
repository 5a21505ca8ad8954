using System.Diagnostics;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// Splits training steps into where their time goes, for a window of steps [from, total). It only watches.
/// Phases mode synchronises the device at every boundary, so each phase's time is its GPU work (plus its
/// launches): forward + loss, backward (+ the 16-bit gradient cast), and the rest (clip, optimizer, weight
/// refresh, zero). Host mode synchronises only before a step and after it, and also reads the clock just
/// before the closing synchronise: that is how long the host took to enqueue the step. When the host time
/// is close to the step's wall time the GPU is starved by launches, not busy with kernels.
/// </summary>
public sealed class StepProfile(long from, bool phases) : ITrainingObserver
{
    private readonly Stopwatch _clock = new();
    private double _last;

    public double Forward { get; private set; }

    public double Backward { get; private set; }

    public double Rest { get; private set; }

    public double Host { get; private set; }

    public double Wall { get; private set; }

    public long Steps { get; private set; }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (state.Step < from) return;
        switch (trainingEvent)
        {
            case TrainingEvent.StepStart:
                DeviceSync.Synchronize(state.Device);
                _clock.Restart();
                _last = 0;
                break;
            case TrainingEvent.AfterLoss when phases:
                Forward += Mark(state);
                break;
            case TrainingEvent.AfterBackward when phases:
                Backward += Mark(state);
                break;
            case TrainingEvent.StepEnd when _clock.IsRunning:
                Host += _clock.Elapsed.TotalSeconds;
                if (phases) Rest += Mark(state);
                DeviceSync.Synchronize(state.Device);
                Wall += _clock.Elapsed.TotalSeconds;
                Steps++;
                _clock.Stop();
                break;
        }
    }

    private double Mark(TrainingState state)
    {
        DeviceSync.Synchronize(state.Device);
        var now = _clock.Elapsed.TotalSeconds;
        var phase = now - _last;
        _last = now;
        return phase;
    }
}
