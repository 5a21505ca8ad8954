using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Hosting;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Worker;

/// <summary>What one attempt at an experiment trains with.</summary>
internal sealed record RunSetup(
    string ExperimentId,
    string Region,
    ExperimentSpec Spec,
    LoadedCheckpoint? Checkpoint,
    string RunId,
    Device Device,
    int CpuThreads,
    int LogEverySteps,
    CheckpointCadence Cadence,
    double ProgressEverySeconds,
    TimeSpan EnergyWindow,
    MethodServices Services,
    SegmentLimit? Limit = null);

/// <summary>
/// One attempt at an experiment, on the thread that trains: opens the data as the CLI does (dataset.dedup applied,
/// metered as the run's dedup phase, its summary and manifest put in the store), prepares the session, restores
/// the checkpoint (if any), trains under the worker's observer, and on completion writes a final checkpoint
/// and scores the test split. Everything it allocates on the device is disposed when it returns.
/// </summary>
internal sealed class TrainingRun(
    RunSetup setup,
    RunSupervisor supervisor,
    ProgressReporter progress,
    BackgroundCheckpointWriter writer,
    EnergyMeterFactory energyFactory,
    StoreEnergyWindowPublisher energyPublisher,
    ExperimentStore experiments,
    ILogger logger)
{
    public RunEnd Execute(CancellationToken handlerToken, CancellationToken shutdownToken)
    {
        var spec = setup.Spec;
        // The same composition as the CLI's TrainingSession.Run: only the observers and the checkpoints differ.
        var options = new RunOptions { Device = setup.Device, CpuThreads = setup.CpuThreads, LogEverySteps = setup.LogEverySteps };
        var energy = new EnergyRecorder(publish => energyFactory.CreateMeter(setup.ExperimentId, setup.RunId, publish),
            energyPublisher, setup.Device, setup.EnergyWindow, logger);
        try
        {
            // Every attempt (a resume too) runs the stage again: it is deterministic for a spec, so the kept set is the
            // one the checkpoint trained on, and its energy is billed to the attempt that spent it.
            var opened = TrainingSession.OpenData(spec, options, null, energy, logger);
            if (opened.Summary is { } dedup) PublishDedup(dedup, opened.Removed);
            using var state = TrainingSession.Prepare(spec, setup.Device, setup.CpuThreads, opened.Data,
                methods: TrainingMethodRegistry.For(spec, setup.Services), logger: logger);
            energy.Begin(EnergyPhase.Checkpoint, 0);
            if (setup.Checkpoint is { } checkpoint)
            {
                TrainingCheckpoint.Restore(state, checkpoint, logger);
            }
            PublishRunInfo(energy.Meter, state);
            var resumedFrom = state.Step;
            progress.Update(p => p with
            {
                State = ExperimentRunState.Running, Step = state.Step, TotalSteps = state.TotalSteps, Epoch = state.Sampler.EpochsDone,
                ResumedFromStep = resumedFrom, RunId = setup.RunId, Message = resumedFrom > 0 ? $"resumed from step {resumedFrom}" : "started",
            });
            WorkerLog.Training(logger, setup.ExperimentId, state.Step, state.TotalSteps, setup.Device.ToString(), setup.RunId);

            var observer = new WorkerRunObserver(setup.ExperimentId, setup.RunId, setup.Cadence, state.Step, setup.ProgressEverySeconds, supervisor,
                handlerToken, shutdownToken, writer, progress, energy);
            var segmentEnd = setup.Limit is { } limit ? new Observers.StopAtStepObserver(limit.Step, limit.Epoch) : null;
            TrainingSession.Loop(state, options, segmentEnd is null ? [observer] : [observer, segmentEnd], logger).Run(state);
            if (observer.HoldsForSaves > 0)
            {
                WorkerLog.HeldForSaves(logger, setup.ExperimentId, observer.HeldForSaves.TotalSeconds, observer.HoldsForSaves);
            }

            if (observer.End is { } stopped)
            {
                energy.End(state.Step);
                return new RunEnd(stopped, state.Step, state.StopReason ?? stopped.ToString(), state.Evaluations.LastOrDefault(), null);
            }

            // The run's end or its segment's end: the weights at the last step go to the store as the newest checkpoint
            // (the final model, or where the next segment continues).
            if (observer.LastCheckpointStep != state.Step)
            {
                observer.Checkpoint(state);
            }
            if (segmentEnd is { Reached: true })
            {
                // A rung's end: the segment's evaluation (the loop's last) is its score; the test split belongs to the run's real end.
                energy.End(state.Step);
                return new RunEnd(RunEndKind.SegmentDone, state.Step, state.StopReason!, state.Evaluations.LastOrDefault(), null, setup.Limit);
            }
            // Completed: the test split is scored on the final weights.
            energy.Begin(EnergyPhase.Evaluate, state.Step);
            var test = TrainingSession.ScoreTest(state, options);
            energy.End(state.Step);
            return new RunEnd(RunEndKind.Completed, state.Step, state.StopReason ?? "completed", state.Evaluations.LastOrDefault(), test);
        }
        finally
        {
            energy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private void PublishDedup(DedupSummary summary, IReadOnlyList<RemovedExample> removed)
    {
        var compact = new JsonSerializerOptions(ExperimentSpecJson.Options) { WriteIndented = false };
        try
        {
            experiments.WriteDedupAsync(setup.ExperimentId, JsonSerializer.Serialize(summary, ExperimentSpecJson.Options),
                [.. removed.Select(r => JsonSerializer.Serialize(r, compact))]).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            WorkerLog.StoreWriteFailed(logger, setup.ExperimentId, ex);
        }
        progress.Update(p => p with { Message = Cli.DedupCommand.Describe(summary) });
    }

    private void PublishRunInfo(EnergyMeter meter, TrainingState state)
    {
        var info = energyFactory.DescribeRun(setup.ExperimentId, setup.RunId, meter.Sources) with
        {
            ProjectName = setup.Spec.Name,
            Region = setup.Region,
            TotalSteps = state.TotalSteps,
            StepsPerEpoch = Math.Max(1, state.Sampler.BatchesPerEpoch / setup.Spec.Training.AccumulationSteps),
        };
        try
        {
            energyPublisher.PublishRunInfoAsync(info).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            WorkerLog.StoreWriteFailed(logger, setup.ExperimentId, ex);
        }
    }
}
