using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Tests.Checkpoints;
using GreenTrain.Trainer.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// The recovery bound behind a checkpoint interval, with real saves through the background writer into a
/// real store: whatever the saves cost, after every step the newest committed checkpoint is at most one
/// interval behind, so a crash at any moment loses at most one interval.
/// </summary>
public sealed class RecoveryPointGuardTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Newest_committed_checkpoint_is_never_more_than_one_interval_behind(string kind)
    {
        const int interval = 5, steps = 120;
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        await using var writer = new BackgroundCheckpointWriter(checkpoints.Store, NullLogger<BackgroundCheckpointWriter>.Instance);
        var guard = new RecoveryPointGuard(new CheckpointCadence(interval, null), restoredStep: 0);
        var saves = new List<Task<CheckpointSaveResult>>();
        var worstLag = 0L;
        using var a = randn(256, 256);

        for (long step = 1; step <= steps; step++)
        {
            using (var work = a.matmul(a)) { } // a real, short training-like step
            guard.StepEnded();
            if (guard.SnapshotDue(step))
            {
                // 2 MB per snapshot in 64 KB chunks: each save takes several steps, as on a real store.
                var saved = await writer.SubmitAsync(checkpoints.Snapshot(step, modelBytes: 2 << 20));
                saves.Add(saved);
                guard.Accepted(step, saved);
            }
            guard.HoldIfBehind(step);

            var committed = saves.Where(s => s.IsCompleted && s.Result.Status == CheckpointSaveStatus.Committed)
                .Select(s => s.Result.Snapshot.Step).DefaultIfEmpty(0).Max();
            // What a crash during the next step would lose.
            worstLag = Math.Max(worstLag, step + 1 - committed);
        }
        await writer.FlushAsync();

        worstLag.Should().BeLessThanOrEqualTo(interval, "a crash during any step must lose at most one checkpoint interval");
        saves.Should().OnlyContain(s => s.Result.Status == CheckpointSaveStatus.Committed);
        saves.Count.Should().BeGreaterThanOrEqualTo(steps / interval, "the interval is a bound, so snapshots come at least that often");
    }

    [Fact]
    public void A_failed_save_does_not_stop_training()
    {
        var guard = new RecoveryPointGuard(new CheckpointCadence(2, null), restoredStep: 0);
        guard.StepEnded();
        guard.SnapshotDue(1).Should().BeFalse("one step of two has passed");
        guard.StepEnded();
        guard.SnapshotDue(2).Should().BeTrue();
        var failed = Task.FromResult(new CheckpointSaveResult(new CheckpointSnapshot("e", 2, "s", []), CheckpointSaveStatus.Failed,
            null, new InvalidOperationException("store down"), TimeSpan.Zero));
        guard.Accepted(2, failed);

        guard.HoldIfBehind(2); // returns: no pending save can restore the bound; the writer has logged the failure

        guard.SnapshotDue(3).Should().BeFalse("the failed snapshot still counts as taken; the next is due one interval after it");
    }
}
