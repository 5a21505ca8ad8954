using System.Diagnostics;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// The worker's eyes inside the training loop. At every step boundary it looks at what the store wants
/// (through RunSupervisor's flags, no store round trip on the training thread) and stops the run for a
/// pause, cancel, shutdown or lost ownership; it takes checkpoints when due (the step pays only the copy to
/// host memory; the BackgroundCheckpointWriter hashes and uploads); it reports progress and cuts energy
/// windows. Stopping and checkpointing are the only things it does to the run, and only at step boundaries.
/// </summary>
internal sealed class WorkerRunObserver(
    string experimentId,
    string runId,
    CheckpointCadence cadence,
    long restoredStep,
    double progressEverySeconds,
    RunSupervisor supervisor,
    CancellationToken handlerToken,
    CancellationToken shutdownToken,
    BackgroundCheckpointWriter writer,
    ProgressReporter progress,
    EnergyRecorder energy) : ITrainingObserver
{
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    // The restored checkpoint (or step 0) is the first recovery point.
    private readonly RecoveryPointGuard _recovery = new(cadence, restoredStep);

    /// <summary>Why the worker stopped the run; null while it runs, and when the loop ended by itself.</summary>
    public RunEndKind? End { get; private set; }

    /// <summary>The step of the newest snapshot handed to the writer (at start: the restored one).</summary>
    public long LastCheckpointStep => _recovery.LastSnapshotStep;

    /// <summary>How long the training thread waited for saves to keep a crash within one interval.</summary>
    public TimeSpan HeldForSaves => _recovery.Held;

    /// <summary>At how many step boundaries the training thread waited for saves.</summary>
    public int HoldsForSaves => _recovery.Holds;

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                energy.Begin(EnergyPhase.Train, state.Step);
                break;
            case TrainingEvent.EvaluationStart:
                energy.Begin(EnergyPhase.Evaluate, state.Step);
                break;
            case TrainingEvent.EvaluationEnd:
                energy.Begin(EnergyPhase.Train, state.Step);
                var last = JsonSerializer.Serialize(state.Evaluations[^1], JsonSerializerOptions.Web);
                progress.Update(p => p with { LastMetricJson = last, BestMetric = state.Best?.Metric(state.MonitoredMetric) });
                progress.RecordEvaluation(last);
                break;
            case TrainingEvent.StepEnd:
                AtStepBoundary(state);
                break;
        }
    }

    private void AtStepBoundary(TrainingState state)
    {
        if (supervisor.OwnershipLost || (handlerToken.IsCancellationRequested && !shutdownToken.IsCancellationRequested))
        {
            Stop(state, RunEndKind.OwnershipLost, "ownership lost");
            return;
        }
        if (shutdownToken.IsCancellationRequested)
        {
            Checkpoint(state);
            Stop(state, RunEndKind.Shutdown, "worker shutting down");
            return;
        }
        switch (supervisor.Desired)
        {
            case DesiredRunState.Pause:
                progress.Update(p => p with { State = ExperimentRunState.Pausing, Step = state.Step });
                Checkpoint(state);
                Stop(state, RunEndKind.Paused, "paused");
                return;
            case DesiredRunState.Cancel:
                Stop(state, RunEndKind.Cancelled, "cancelled");
                return;
        }

        _recovery.StepEnded();
        if (_recovery.SnapshotDue(state.Step))
        {
            Checkpoint(state);
        }
        _recovery.HoldIfBehind(state.Step);
        if (state.IsLogStep && _sinceProgress.Elapsed.TotalSeconds >= progressEverySeconds)
        {
            progress.Update(p => p with { Step = state.Step, Epoch = state.Sampler.EpochsDone });
            _sinceProgress.Restart();
        }
        energy.CutIfDue(state.Step);
    }

    /// <summary>Copies the state to host memory and hands it to the writer (waiting only if two saves are already pending).</summary>
    public void Checkpoint(TrainingState state)
    {
        energy.Begin(EnergyPhase.Checkpoint, state.Step);
        var snapshot = TrainingCheckpoint.Capture(state, experimentId, runId);
        energy.Begin(EnergyPhase.Train, state.Step);
        var saved = writer.SubmitAsync(snapshot).AsTask().GetAwaiter().GetResult();
        _ = saved.ContinueWith(t =>
        {
            if (t.Result is { Status: CheckpointSaveStatus.Committed, Manifest: { } manifest })
            {
                progress.Update(p => p.CheckpointStep is { } known && known > manifest.Step ? p
                    : p with { CheckpointId = manifest.CheckpointId, CheckpointStep = manifest.Step });
            }
        }, TaskScheduler.Default);
        _recovery.Accepted(state.Step, saved);
    }

    private void Stop(TrainingState state, RunEndKind kind, string reason)
    {
        End = kind;
        state.StopReason = reason;
        state.Suspended = true;
    }
}
