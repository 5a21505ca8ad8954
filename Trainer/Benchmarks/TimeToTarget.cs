using System.Diagnostics;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>Wall time and energy from the start of training to the evaluation that reached the target (evaluations included).</summary>
public sealed class TimeToTarget(NvmlEnergy? energy) : ITrainingObserver
{
    private readonly Stopwatch _clock = new();
    private double? _startJoules;

    public bool Reached { get; private set; }

    public double Seconds { get; private set; }

    public double? Joules { get; private set; }

    public long Steps { get; private set; }

    public double? Accuracy { get; private set; }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                DeviceSync.Synchronize(state.Device);
                _startJoules = energy?.ReadJoules();
                _clock.Restart();
                break;
            case TrainingEvent.EvaluationEnd or TrainingEvent.FitEnd when _clock.IsRunning && (state.StopReason is not null || trainingEvent == TrainingEvent.FitEnd):
                DeviceSync.Synchronize(state.Device);
                Seconds = _clock.Elapsed.TotalSeconds;
                Joules = energy?.ReadJoules() - _startJoules;
                Steps = state.Step;
                Accuracy = state.Evaluations.LastOrDefault()?.Accuracy;
                Reached = state.StopReason?.StartsWith("target reached", StringComparison.Ordinal) == true;
                _clock.Stop();
                break;
        }
    }
}
