using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>Damaged checkpoint bytes seen by the worker: it falls back to the previous good checkpoint, says so as an error, and keeps working.</summary>
public sealed class WorkerCorruptionTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Resume_with_a_damaged_newest_checkpoint_falls_back_to_the_previous_one()
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        var spec = WorkerTestContext.Spec(steps: 240, checkpointEverySteps: 20, width: 256, batchSize: 256);
        var logs = new CollectingLoggerProvider();
        using var host = await WorkerCommandTests.StartWorkerAsync(context, "worker-d", logs);

        var id = await context.SubmitAsync(spec);
        await context.WaitForAsync(id, p => p is { State: ExperimentRunState.Running, CheckpointStep: >= 40 }, Timeout);
        await context.SendAsync(id, TrainerCommandKind.Pause);
        var paused = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Paused, Timeout);
        var checkpoints = await context.Checkpoints.ListAsync(id);
        var (newest, previous) = (checkpoints[0], checkpoints[1]);
        var chunk = newest.Sections.Single(s => s.Name == "parameters").Chunks[0].Key;
        var bytes = (byte[])(await context.Store.Database.StringGetAsync(chunk))!;
        bytes[100] ^= 0x5A;
        await context.Store.Database.StringSetAsync(chunk, bytes);

        await context.SendAsync(id, TrainerCommandKind.Resume);
        var completed = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);
        var (_, parameters) = await context.NewestParametersAsync(id);

        newest.Step.Should().Be(paused.Step);
        completed.ResumedFromStep.Should().Be(previous.Step, "the damaged newest checkpoint is passed over for the previous good one");
        logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.Contains(newest.CheckpointId) && e.Message.Contains("ChecksumMismatch"));
        parameters.Should().Equal(WorkerTestContext.UninterruptedParameters(spec), "the steps after the good checkpoint are simply trained again");
    }
}
