using GreenTrain.Benchmarks.Support;
using System.Diagnostics;
using GreenTrain.Benchmarks.Methods;
using GreenTrain.Scheduler.Sweeps;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Observers;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.Sweeps;

/// <summary>
/// Runs trial segments in this process, as `train --checkpoint-folder --stop-at-step` does in a child process (the same
/// TrainingSession, StopAtStepObserver and checkpoint sections), but with the data set decoded once and the
/// checkpoints kept in memory: a benchmark of hundreds of segments would otherwise measure process start-ups. The
/// data lives on the benchmark's device (CPU, or a GPU with --device cuda) and so do the trials. Energy
/// is metered (NVML on a GPU) over training and validation only; the test split of a full trial is scored outside the meter (reporting, not search).
/// </summary>
public sealed class InProcessTrialRunner(ITrainingData data, Device device, EnergyMeterFactory energy, int threads) : ITrialRunner
{
    private readonly Dictionary<string, Dictionary<string, byte[]>> _checkpoints = [];

    /// <summary>This process's CPU seconds inside metered segments: unlike the machine-wide CPU estimate, other processes do not inflate it.</summary>
    public double CpuSeconds { get; private set; }

    public TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken)
    {
        var options = new RunOptions { Device = device, CpuThreads = threads, LogEverySteps = 50, EvalBatches = segment.EvalBatches };
        using var state = TrainingSession.Prepare(segment.Spec, device, threads, new BorrowedData(data));
        if (!segment.Restart && _checkpoints.TryGetValue(segment.TrialId, out var sections))
        {
            var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormatVersion, "memory", segment.TrialId, 0, state.SpecHash, DateTimeOffset.UtcNow, []);
            TrainingCheckpoint.Restore(state, new LoadedCheckpoint(manifest, sections));
        }
        var from = state.Step;
        var stop = segment.Unit == ResourceUnit.Steps ? new StopAtStepObserver(segment.Resource, null) : new StopAtStepObserver(null, segment.Resource);
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        double joules;
        string method;
        using (var meter = new EnergyAtEvaluations(energy, segment.TrialId))
        {
            TrainingSession.Loop(state, options, [stop, meter], NullLogger.Instance).Run(state, cancellationToken);
            joules = meter.TotalJoules;
            method = meter.Methods;
        }
        CpuSeconds += (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        _checkpoints[segment.TrialId] = TrainingCheckpoint.Capture(state, segment.TrialId, null).Sections.ToDictionary(s => s.Name, s => s.Data.ToArray());
        var test = segment.IsFinal ? TrainingSession.ScoreTest(state, options) : null;
        var last = state.Evaluations[^1];
        return new TrialOutcome(last.Accuracy, last.Loss, test?.Accuracy, state.Step, state.Step - from, joules, method, state.StopReason ?? "completed");
    }
}
