using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>A worker hosted in the test process against a real redis-server, driven the way the Scheduler drives it.</summary>
public sealed class WorkerCommandTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pause_reaches_the_busy_worker_and_resume_ends_where_the_uninterrupted_run_ends()
    {
        var context = NewContext();
        var spec = WorkerTestContext.Spec(steps: 240, checkpointEverySteps: 40, width: 256, batchSize: 256);
        using var host = await StartWorkerAsync(context, "worker-a");

        var id = await context.SubmitAsync(spec);
        await context.WaitForAsync(id, p => p is { State: ExperimentRunState.Running, Step: >= 10 }, Timeout);
        await context.SendAsync(id, TrainerCommandKind.Pause);
        var paused = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Paused, Timeout);
        var queueAfterPause = await context.Producer.GetCountsAsync(context.Region);
        await context.SendAsync(id, TrainerCommandKind.Resume);
        var completed = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);
        var (finalStep, parameters) = await context.NewestParametersAsync(id);
        var evaluated = (await context.Experiments.ReadEvaluationsAsync(id))
            .Select(e => System.Text.Json.JsonDocument.Parse(e).RootElement.GetProperty("step").GetInt64()).Distinct().Order().ToList();

        paused.Step.Should().BeLessThan(240, "the pause stopped the run before its end");
        evaluated.Should().Contain([50, 100, 150, 200], "every evaluation, before the pause and after the resume, is in the history the web UI charts");
        paused.CheckpointStep.Should().Be(paused.Step, "a pause writes a checkpoint at the step where it stops");
        queueAfterPause.Processing.Should().BeLessThanOrEqualTo(1, "the Start command was acknowledged when the run paused");
        completed.ResumedFromStep.Should().Be(paused.Step);
        completed.Worker.Should().Be("worker-a");
        finalStep.Should().Be(240);
        parameters.Should().Equal(WorkerTestContext.UninterruptedParameters(spec));
    }

    [Fact]
    public async Task Cancel_stops_the_run_and_a_later_resume_or_repeated_start_does_not_restart_it()
    {
        var context = NewContext();
        var spec = WorkerTestContext.Spec(steps: 5000, checkpointEverySteps: 50, width: 128, batchSize: 128);
        using var host = await StartWorkerAsync(context, "worker-b");

        var id = await context.SubmitAsync(spec);
        await context.WaitForAsync(id, p => p is { State: ExperimentRunState.Running, Step: >= 5 }, Timeout);
        await context.SendAsync(id, TrainerCommandKind.Cancel);
        var cancelled = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Cancelled, Timeout);
        await context.SendAsync(id, TrainerCommandKind.Resume);
        await context.SendAsync(id, TrainerCommandKind.Start);
        await WaitUntilQueueIsEmptyAsync(context);
        var after = await context.Experiments.ReadProgressAsync(id);

        cancelled.Step.Should().BeLessThan(5000);
        after!.State.Should().Be(ExperimentRunState.Cancelled);
        after.Step.Should().Be(cancelled.Step, "nothing trained after the cancel");
    }

    [Fact]
    public async Task A_start_without_a_spec_is_recorded_as_failed_and_the_worker_goes_on()
    {
        var context = NewContext();
        using var host = await StartWorkerAsync(context, "worker-c");

        var missing = SharedStoreServers.UniqueId("exp");
        await context.SendAsync(missing, TrainerCommandKind.Start);
        var failed = await context.WaitForAsync(missing, p => p.State == ExperimentRunState.Failed, Timeout);
        var spec = WorkerTestContext.Spec(steps: 20, checkpointEverySteps: 10);
        var id = await context.SubmitAsync(spec);
        var completed = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);

        failed.Message.Should().Contain("no spec");
        completed.Step.Should().Be(20);
    }

    [Fact]
    public async Task A_completed_experiment_keeps_only_its_final_checkpoint_in_the_store()
    {
        var context = NewContext();
        var spec = WorkerTestContext.Spec(steps: 60, checkpointEverySteps: 10); // six checkpoints, three kept while it runs
        using var host = await StartWorkerAsync(context, "worker-f");

        var id = await context.SubmitAsync(spec);
        await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);
        var index = await context.Store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(id));
        var server = context.Store.Connection.GetServer(context.Store.Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"{StoreKeys.CheckpointIndex(id)[..^"index".Length]}*").Select(k => (string)k!).ToList();
        var (finalStep, _) = await context.NewestParametersAsync(id);

        index.Should().ContainSingle("a finished run keeps the checkpoint with its final weights and no other");
        finalStep.Should().Be(60, "the one kept is the final model");
        keys.Where(k => k.Contains(":chunk:", StringComparison.Ordinal) || k.EndsWith(":manifest", StringComparison.Ordinal))
            .Should().OnlyContain(k => k.Contains((string)index[0]!, StringComparison.Ordinal), "older checkpoints' chunks and manifests are deleted");
        keys.Should().NotContain(StoreKeys.CheckpointsWriting(id), "no unfinished save is left behind");
    }

    [Fact]
    public async Task A_command_arriving_while_a_dead_worker_still_holds_the_run_takes_it_over()
    {
        var context = NewContext();
        var spec = WorkerTestContext.Spec(steps: 20, checkpointEverySteps: 10);
        var id = await context.SubmitAsync(spec, queueStart: false);
        // A worker that died while training: its claim is still there, but nobody renews it.
        await context.Store.Database.StringSetAsync(StoreKeys.ExperimentOwner(id), "dead-worker|cmd-of-the-dead|0", TimeSpan.FromSeconds(2));
        using var host = await StartWorkerAsync(context, "worker-d");

        await context.SendAsync(id, TrainerCommandKind.Resume);
        var completed = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);

        completed.Worker.Should().Be("worker-d", "the command outlived the dead worker's claim and trained the run");
        completed.Step.Should().Be(20);
    }

    [Fact]
    public async Task A_command_for_a_run_a_live_worker_trains_is_acknowledged_without_a_second_copy()
    {
        var context = NewContext();
        var spec = WorkerTestContext.Spec(steps: 20, checkpointEverySteps: 10);
        var id = await context.SubmitAsync(spec, queueStart: false);
        // A live worker elsewhere: it holds the claim and renews it, as a training worker does.
        var ownership = new ExperimentOwnership(context.Store, Options.Create(context.QueueOptions));
        var claim = (await ownership.TryClaimAsync(id, "live-worker", "cmd-live"))!;
        using var renewing = new CancellationTokenSource();
        var renewer = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(ownership.RenewEvery);
            while (await timer.WaitForNextTickAsync(renewing.Token).AsTask().ContinueWith(t => t is { IsCompletedSuccessfully: true, Result: true }))
            {
                await ownership.RenewAsync(claim);
            }
        });
        using var host = await StartWorkerAsync(context, "worker-e");

        await context.SendAsync(id, TrainerCommandKind.Resume);
        await WaitUntilQueueIsEmptyAsync(context);
        var owner = await ownership.GetOwnerAsync(id);
        var progress = await context.Experiments.ReadProgressAsync(id);
        await renewing.CancelAsync();
        await renewer;

        owner.Should().Be(new ExperimentOwner("live-worker", "cmd-live"));
        progress?.Worker.Should().NotBe("worker-e", "a run that a live worker trains must not be started twice");
    }

    private WorkerTestContext NewContext() => new(servers.Connection("redis"), servers.ConnectionString("redis"));

    internal static async Task<IHost> StartWorkerAsync(WorkerTestContext context, string workerId, CollectingLoggerProvider? logs = null)
    {
        var host = WorkerCommand.CreateHost(context.WorkerArguments(workerId), builder =>
        {
            if (logs is not null) builder.Logging.AddProvider(logs);
        });
        await host.StartAsync();
        return host;
    }

    internal static async Task WaitUntilQueueIsEmptyAsync(WorkerTestContext context)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (await context.Producer.GetCountsAsync(context.Region) is { } counts && counts.Pending + counts.Processing > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"commands still queued: {counts}");
            await Task.Delay(50); // polling the queue, the only signal there is for "acknowledged"
        }
    }
}
