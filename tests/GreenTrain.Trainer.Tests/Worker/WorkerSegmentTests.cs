using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// A run trained in segments through the store, as a sweep's trials are: the worker stops at the segment limit the
/// Scheduler wrote, and once the limit is raised a Resume continues the same run to where an uninterrupted run ends.
/// </summary>
public sealed class WorkerSegmentTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_stops_evaluated_and_checkpointed_at_its_limit_and_the_raised_limit_continues_it_bit_exactly()
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        var spec = WorkerTestContext.Spec(steps: 60, checkpointEverySteps: 1000);
        using var host = await WorkerCommandTests.StartWorkerAsync(context, "worker-segments");

        var (id, first) = await StartWithLimitAsync(context, spec, new SegmentLimit(SegmentUnit.Steps, 20));

        first.State.Should().Be(ExperimentRunState.Paused, first.Message);
        first.StoppedAt.Should().Be(new SegmentLimit(SegmentUnit.Steps, 20), "the Scheduler tells a rung's end from a pause by it");
        first.Step.Should().Be(20);
        first.CheckpointStep.Should().Be(20, "the segment's end is checkpointed even between checkpoint intervals");
        var metric = System.Text.Json.JsonDocument.Parse(first.LastMetricJson!).RootElement;
        metric.GetProperty("final").GetProperty("step").GetInt64().Should().Be(20, "the segment is scored where it stopped");
        metric.GetProperty("test").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "the test split belongs to the run's real end");

        await context.SendAsync(id, TrainerCommandKind.Resume);
        await WorkerCommandTests.WaitUntilQueueIsEmptyAsync(context);
        (await context.Experiments.ReadProgressAsync(id))!.Step.Should().Be(20, "a Resume with the limit unchanged trains nothing");

        await context.Experiments.WriteSegmentLimitAsync(id, new SegmentLimit(SegmentUnit.Steps, 40));
        await context.SendAsync(id, TrainerCommandKind.Resume);
        var second = await context.WaitForAsync(id, p => p is { State: ExperimentRunState.Paused, Step: 40 } || p.State is ExperimentRunState.Completed or ExperimentRunState.Failed, Timeout);
        second.StoppedAt.Should().Be(new SegmentLimit(SegmentUnit.Steps, 40));
        second.ResumedFromStep.Should().Be(20);

        await context.Experiments.WriteSegmentLimitAsync(id, null);
        await context.SendAsync(id, TrainerCommandKind.Resume);
        var completed = await context.WaitForAsync(id, p => p.State is ExperimentRunState.Completed or ExperimentRunState.Failed, Timeout);
        var (finalStep, parameters) = await context.NewestParametersAsync(id);

        completed.State.Should().Be(ExperimentRunState.Completed, completed.Message);
        completed.StoppedAt.Should().BeNull();
        finalStep.Should().Be(60);
        parameters.Should().Equal(WorkerTestContext.UninterruptedParameters(spec), "three segments on the whole run's schedule end where one run ends");
    }

    [Fact]
    public async Task An_epoch_limit_stops_the_run_at_that_epochs_end()
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        var steps = WorkerTestContext.Spec(steps: 1, checkpointEverySteps: 1000);
        var spec = steps with { Training = steps.Training with { Steps = null, Epochs = 3 } };
        using var host = await WorkerCommandTests.StartWorkerAsync(context, "worker-epochs");

        var (_, stopped) = await StartWithLimitAsync(context, spec, new SegmentLimit(SegmentUnit.Epochs, 1));

        stopped.State.Should().Be(ExperimentRunState.Paused, stopped.Message);
        stopped.StoppedAt.Should().Be(new SegmentLimit(SegmentUnit.Epochs, 1));
        stopped.Epoch.Should().BeApproximately(1, 1e-9, "the run stops where its first epoch ends");
        stopped.TotalSteps.Should().BeGreaterThan(stopped.Step * 2, "two epochs are left for the next segments");
    }

    /// <summary>What the Scheduler does for a sweep's first rung: the spec and its limit written, then a Start; returns where the run stopped.</summary>
    private static async Task<(string Id, ExperimentProgress Stopped)> StartWithLimitAsync(WorkerTestContext context, ExperimentSpec spec, SegmentLimit limit)
    {
        var id = await context.SubmitAsync(spec, queueStart: false);
        await context.Experiments.WriteSegmentLimitAsync(id, limit);
        await context.SendAsync(id, TrainerCommandKind.Start);
        return (id, await context.WaitForAsync(id, p => p.State is ExperimentRunState.Paused or ExperimentRunState.Completed or ExperimentRunState.Failed, Timeout));
    }
}
