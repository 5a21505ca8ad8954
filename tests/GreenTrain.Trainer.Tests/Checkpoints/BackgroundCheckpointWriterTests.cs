using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Tests.Checkpoints;

/// <summary>The background writer: the training loop hands snapshots over and goes on; nothing accepted is lost.</summary>
public sealed class BackgroundCheckpointWriterTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_snapshot_is_committed_in_order_when_the_writer_waits(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        await using var writer = new BackgroundCheckpointWriter(checkpoints.Store, NullLogger<BackgroundCheckpointWriter>.Instance,
            CheckpointBackpressure.Wait, keepLast: 10);

        var results = new List<Task<CheckpointSaveResult>>();
        foreach (var step in new[] { 1L, 2, 3, 4 })
        {
            results.Add(await writer.SubmitAsync(checkpoints.Snapshot(step)));
        }
        await writer.FlushAsync();

        results.Should().OnlyContain(r => r.IsCompleted);
        results.Select(r => r.Result.Status).Should().AllBeEquivalentTo(CheckpointSaveStatus.Committed);
        (await checkpoints.Store.ListAsync(checkpoints.ExperimentId)).Select(m => m.Step).Should().Equal(4, 3, 2, 1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Coalescing_writer_never_makes_the_caller_wait_and_always_writes_the_newest(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        await using var writer = new BackgroundCheckpointWriter(checkpoints.Store, NullLogger<BackgroundCheckpointWriter>.Instance,
            CheckpointBackpressure.Coalesce, keepLast: 10);

        var submissions = Enumerable.Range(1, 6).Select(step => writer.SubmitAsync(checkpoints.Snapshot(step))).ToList();
        var acceptedAtOnce = submissions.All(s => s.IsCompletedSuccessfully);
        var results = new List<CheckpointSaveResult>();
        foreach (var submission in submissions)
        {
            results.Add(await await submission);
        }

        acceptedAtOnce.Should().BeTrue("a coalescing writer replaces the waiting snapshot instead of blocking the training step");
        results[^1].Status.Should().Be(CheckpointSaveStatus.Committed);
        results.Should().OnlyContain(r => r.Status == CheckpointSaveStatus.Committed || r.Status == CheckpointSaveStatus.Superseded);
        var committed = results.Where(r => r.Status == CheckpointSaveStatus.Committed).Select(r => r.Snapshot.Step).ToList();
        (await checkpoints.Store.ListAsync(checkpoints.ExperimentId)).Select(m => m.Step).Reverse().Should().Equal(committed);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Disposing_the_writer_flushes_what_was_handed_over(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var writer = new BackgroundCheckpointWriter(checkpoints.Store, NullLogger<BackgroundCheckpointWriter>.Instance);

        await writer.SubmitAsync(checkpoints.Snapshot(1));
        await writer.SubmitAsync(checkpoints.Snapshot(2));
        await writer.DisposeAsync();

        (await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec)).Checkpoint!.Manifest.Step.Should().Be(2);
        var late = async () => await writer.SubmitAsync(checkpoints.Snapshot(3));
        await late.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Store_failure_is_reported_in_the_result_not_thrown_at_the_training_loop(string kind)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(servers.Connection(kind).Configuration);
        var store = new CheckpointStore(new GreenTrainStore(connection), Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance);
        await using var writer = new BackgroundCheckpointWriter(store, NullLogger<BackgroundCheckpointWriter>.Instance);
        await connection.CloseAsync();
        await connection.DisposeAsync();

        var result = await await writer.SubmitAsync(new CheckpointSnapshot("exp-unreachable", 1, "spec", [new("model", new byte[10])]));

        result.Status.Should().Be(CheckpointSaveStatus.Failed);
        result.Error.Should().NotBeNull();
        writer.LastResult.Should().Be(result);
    }
}
