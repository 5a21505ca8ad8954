using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Methods;
using GreenTrain.Trainer.Methods.Distillation;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Worker;

public sealed partial class ExperimentRunner
{
    /// <summary>One training attempt under a held claim; null when the experiment cannot run (recorded as failed).</summary>
    private async Task<RunEnd?> AttemptAsync(TrainerCommand command, OwnershipClaim claim, ExperimentProgress? previous,
        CancellationToken handlerToken, CancellationToken shutdownToken)
    {
        var id = command.ExperimentId;
        var baseline = (previous ?? new ExperimentProgress(id, ExperimentRunState.Queued)) with
        {
            State = ExperimentRunState.Running, Region = Settings.Region, Worker = Settings.ResolvedWorkerId, Message = "starting",
            ResumedFromStep = null, // set once the checkpoint is restored: readers wait for it to know this attempt trains
            StoppedAt = null,
        };
        await using var progress = new ProgressReporter(experiments, baseline, _logger);
        try
        {
            var spec = await LoadSpecAsync(id);
            if (spec.Error is not null)
            {
                await FailAsync(progress, id, spec.Error, null);
                return null;
            }

            await progress.PublishNowAsync(p => p);
            var teachers = new StoreTeachers(experiments, checkpoints);
            await teachers.PreloadAsync(spec.Spec!, handlerToken);
            var loaded = await checkpoints.LoadLatestAsync(id, ExperimentSpecJson.Hash(spec.Spec!), handlerToken);
            foreach (var rejected in loaded.Rejected)
            {
                WorkerLog.CheckpointRejected(_logger, id, rejected.CheckpointId, $"{rejected.Problem}: {rejected.Detail}");
            }
            var runId = RunIdOf(loaded.Checkpoint) ?? previous?.RunId ?? $"run-{Guid.NewGuid():N}"[..16];
            var limit = await experiments.ReadSegmentLimitAsync(id);
            var end = await TrainAsync(id, spec.Spec!, loaded.Checkpoint, runId, limit, new MethodServices(teachers), claim, progress, handlerToken, shutdownToken);
            if (end.Kind is RunEndKind.Completed or RunEndKind.Cancelled)
            {
                // Before the end is reported, so whoever sees "completed" sees the store as it stays.
                await checkpoints.KeepFinalOnlyAsync(id);
            }
            await RecordEndAsync(progress, end);
            return end;
        }
        catch (Exception ex) when (ex is DataSetNotFoundException or CheckpointIncompatibleException or TeacherUnavailableException
            || (ex is InvalidOperationException && ex.Source == typeof(BatchSampler).Assembly.GetName().Name))
        {
            // The experiment itself cannot run here (its data, its checkpoint, its teacher, its batch size): retrying will not help.
            await FailAsync(progress, id, ex.Message, ex);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(progress, id, $"{ex.GetType().Name}: {ex.Message} {RetryNote}", ex);
            throw;
        }
        finally
        {
            await ownership.ReleaseAsync(claim);
        }
    }

    private async Task<RunEnd> TrainAsync(string id, ExperimentSpec spec, LoadedCheckpoint? checkpoint, string runId, SegmentLimit? limit, MethodServices services, OwnershipClaim claim,
        ProgressReporter progress, CancellationToken handlerToken, CancellationToken shutdownToken)
    {
        var setup = new RunSetup(id, Settings.Region, spec, checkpoint, runId, device.Device, Settings.CpuThreads ?? Engine.RunOptions.DefaultCpuThreads,
            Settings.LogEverySteps, new CheckpointCadence(Settings.CheckpointEverySteps ?? spec.Checkpoint.EverySteps,
                Settings.CheckpointEverySeconds ?? spec.Checkpoint.EverySeconds),
            Settings.ProgressEverySeconds, TimeSpan.FromSeconds(Settings.EnergyWindowSeconds), services, limit);
        await using var supervisor = new RunSupervisor(experiments, ownership, claim, store, Settings.ControlPollInterval, _logger);
        await supervisor.StartAsync();
        var writer = new BackgroundCheckpointWriter(checkpoints, loggers.CreateLogger<BackgroundCheckpointWriter>(),
            Settings.CheckpointBackpressure, spec.Checkpoint.KeepLast);
        RunEnd end;
        try
        {
            var run = new TrainingRun(setup, supervisor, progress, writer, energyFactory, energyPublisher, experiments, _logger);
            // A thread of its own: the loop is synchronous and long, and the heartbeats must keep running beside it.
            end = await Task.Factory.StartNew(() => run.Execute(handlerToken, shutdownToken), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            await writer.DisposeAsync(); // every accepted checkpoint is committed (or has failed) before the state is reported
            GC.Collect();                // the session's device memory goes now, not at some later collection
            GC.WaitForPendingFinalizers();
        }
        if (writer.LastResult is { Status: CheckpointSaveStatus.Committed, Manifest: { } manifest })
        {
            progress.Update(p => p with { CheckpointId = manifest.CheckpointId, CheckpointStep = manifest.Step });
        }
        return end;
    }

    private async Task RecordEndAsync(ProgressReporter progress, RunEnd end)
    {
        var (state, message) = end.Kind switch
        {
            RunEndKind.Completed => (ExperimentRunState.Completed, end.Test is { } test
                ? $"completed ({end.Message}); test loss {test.Loss:0.####}" + (test.Accuracy is { } a ? $", test accuracy {a:0.####}" : "")
                : $"completed ({end.Message})"),
            RunEndKind.Paused => (ExperimentRunState.Paused, $"paused at step {end.Step}"),
            RunEndKind.SegmentDone => (ExperimentRunState.Paused, $"segment end at step {end.Step} ({end.StoppedAt}): waits for the limit to be raised"),
            RunEndKind.Cancelled => (ExperimentRunState.Cancelled, $"cancelled at step {end.Step}"),
            RunEndKind.Shutdown => (ExperimentRunState.Queued, $"worker stopped at step {end.Step}; the command went back to the queue"),
            _ => ((ExperimentRunState?)null, ""),
        };
        if (state is null)
        {
            return; // ownership lost: the new holder reports from now on
        }
        // A run's end and a segment's end both leave { final: evaluation, test: score or null } for whoever waits on it (a sweep).
        var lastMetric = end.Test is not null || end.Kind == RunEndKind.SegmentDone
            ? JsonSerializer.Serialize(new { final = end.Final, test = end.Test }, JsonSerializerOptions.Web) : null;
        await progress.PublishNowAsync(p => p with
        {
            State = state.Value, Step = end.Step, Message = message, LastMetricJson = lastMetric ?? p.LastMetricJson, StoppedAt = end.StoppedAt,
        });
        WorkerLog.Decision(_logger, progress.Current.ExperimentId, message);
    }

    private const string RetryNote = "(the command will be retried)";

    /// <summary>After the last delivery of a command failed: the experiment's message says no retry will come, and how to try again.</summary>
    public async Task RecordGivenUpAsync(string experimentId, long deliveries)
    {
        if (await experiments.ReadProgressAsync(experimentId) is { State: ExperimentRunState.Failed, Message: { } message } failed && message.Contains(RetryNote, StringComparison.Ordinal))
        {
            await experiments.WriteProgressAsync(failed with
            {
                Message = message.Replace(RetryNote,
                    $"(failed on all {deliveries} deliveries allowed by CommandQueue:MaxDeliveries: the command is dead-lettered and will not be retried; send a new Resume to try again)",
                    StringComparison.Ordinal),
            });
        }
    }

    private async Task FailAsync(ProgressReporter progress, string id, string reason, Exception? exception)
    {
        WorkerLog.Failed(_logger, id, reason, exception);
        try
        {
            await progress.PublishNowAsync(p => p with { State = ExperimentRunState.Failed, Message = reason });
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            WorkerLog.StoreWriteFailed(_logger, id, ex);
        }
    }

    private async Task<(ExperimentSpec? Spec, string? Error)> LoadSpecAsync(string id)
    {
        var json = await experiments.ReadSpecAsync(id);
        if (json is null)
        {
            return (null, $"no spec at {ServiceDefaults.Store.StoreKeys.ExperimentSpec(id)}: the Scheduler writes it before queuing a Start");
        }
        var parsed = ExperimentSpecJson.Parse(json);
        if (!parsed.IsValid)
        {
            return (null, $"the stored spec is invalid: {string.Join("; ", parsed.Errors)}");
        }
        return SpecAdmission.Refusal(parsed.Spec!, dataRoots.Value.ResolvedRoots, Settings.MaxModelMemoryGiB) is { } refusal ? (null, refusal) : (parsed.Spec, null);
    }

    private static string? RunIdOf(LoadedCheckpoint? checkpoint) =>
        checkpoint?.Sections.TryGetValue(TrainingCheckpoint.StateSection, out var state) == true ? CheckpointStateRecord.Parse(state).RunId : null;
}
