using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>One training epoch of a model, extrapolated from the steps measured: energy by the Trainer's meter, this process's CPU time, wall time.</summary>
public sealed record EpochCost(string Model, int StepsMeasured, long StepsPerEpoch, double Joules, double CpuSeconds, double Seconds, EnergyMethod? Method);

/// <summary>
/// What one epoch of a model costs on the data the dedup stage ran on, measured in the same process and by the same
/// meter as the stage, so the stage can be read as a share of it. Trains <c>warmup + steps</c> steps (no evaluation
/// inside), measures the last <c>steps</c> (the first ones carry the JIT and LibTorch's first allocations) and scales
/// them to the steps of one epoch (examples / batch, as TrainingSession counts them).
/// </summary>
public static class EpochProbe
{
    public static EpochCost Measure(string model, ExperimentSpec spec, ITrainingData data, int steps, int warmup, string folder, TorchSharp.torch.Device device)
    {
        Directory.CreateDirectory(folder);
        var stepsPerEpoch = data.Train.Count / spec.Training.BatchSize;
        var probeSpec = spec with
        {
            Training = spec.Training with { Epochs = null, Steps = warmup + steps, EvalEverySteps = warmup + steps + 1, Target = null },
        };
        using var energy = new RunFolderEnergy(folder, $"epoch-{model}");
        var window = new Window(energy, warmup, warmup + steps);
        TrainingSession.Run(probeSpec, new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 1000 }, [energy.Observer, window], NullLogger.Instance, data: data);
        var scale = stepsPerEpoch / (double)steps;
        return new EpochCost(model, steps, stepsPerEpoch, window.Joules * scale, window.CpuSeconds * scale, window.Seconds * scale, energy.Total(EnergyPhase.Train).Method);
    }

    /// <summary>Reads the meter, the process's CPU time and the clock at the end of step <c>from</c> and of step <c>to</c>.</summary>
    private sealed class Window(RunFolderEnergy energy, int from, int to) : ITrainingObserver
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private readonly Stopwatch _clock = new();
        private int _steps;
        private double _joules;
        private TimeSpan _cpu;

        public double Joules { get; private set; }
        public double CpuSeconds { get; private set; }
        public double Seconds { get; private set; }

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.StepEnd) return;
            _steps++;
            if (_steps != from && _steps != to) return;
            energy.Meter.Flush();
            _process.Refresh();
            var joules = energy.Total(EnergyPhase.Train).Joules;
            if (_steps == from)
            {
                (_joules, _cpu) = (joules, _process.TotalProcessorTime);
                _clock.Restart();
                return;
            }

            (Joules, CpuSeconds, Seconds) = (joules - _joules, (_process.TotalProcessorTime - _cpu).TotalSeconds, _clock.Elapsed.TotalSeconds);
        }
    }
}
