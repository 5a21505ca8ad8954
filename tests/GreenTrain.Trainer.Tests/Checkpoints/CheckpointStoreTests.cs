using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;

namespace GreenTrain.Trainer.Tests.Checkpoints;

/// <summary>Saving, loading and keeping checkpoints in a real Redis and a real Garnet.</summary>
public sealed class CheckpointStoreTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sections_larger_than_a_chunk_come_back_byte_for_byte(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind)); // real 4 MB chunks: a model section over 8 MB
        var snapshot = checkpoints.Snapshot(step: 7);

        var saved = await checkpoints.Store.SaveAsync(snapshot);
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        saved.Sections.Select(s => s.Chunks.Count).Should().Equal(3, 1, 1, 0);
        saved.Chunks.Should().OnlyContain(c => c.Length <= CheckpointOptions.MaxChunkBytes && c.Sha256.Length == 64);
        loaded.Rejected.Should().BeEmpty();
        loaded.Checkpoint!.Manifest.Should().BeEquivalentTo(saved);
        foreach (var section in snapshot.Sections)
        {
            loaded.Checkpoint.Sections[section.Name].Should().Equal(section.Data.ToArray(), $"section {section.Name} must round-trip exactly");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Newest_checkpoint_is_loaded_and_only_the_newest_K_are_kept(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var oldest = await checkpoints.Store.SaveAsync(checkpoints.Snapshot(10), keepLast: 2);
        await checkpoints.Store.SaveAsync(checkpoints.Snapshot(20), keepLast: 2);
        var oldestChunksAfterTwo = await CountExistingAsync(checkpoints, oldest);
        await checkpoints.Store.SaveAsync(checkpoints.Snapshot(30), keepLast: 2);

        var listed = await checkpoints.Store.ListAsync(checkpoints.ExperimentId);
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        oldestChunksAfterTwo.Should().Be(oldest.Chunks.Count() + 1, "with two kept, nothing is deleted yet");
        listed.Select(m => m.Step).Should().Equal(30, 20);
        loaded.Checkpoint!.Manifest.Step.Should().Be(30);
        (await CountExistingAsync(checkpoints, oldest)).Should().Be(0, "the third commit removes the oldest chunks and manifest");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Chunks_of_a_save_that_died_before_its_commit_are_removed_by_the_next_save(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        // What a worker killed mid-save leaves: the save marked as begun, some chunks, no manifest.
        const string deadSave = "step-000000000040-deadbeefdead";
        await checkpoints.Database.HashSetAsync(StoreKeys.CheckpointsWriting(checkpoints.ExperimentId), deadSave, "2026-01-01T00:00:00Z");
        var orphans = Enumerable.Range(0, 3).Select(n => StoreKeys.CheckpointChunk(checkpoints.ExperimentId, deadSave, n)).ToList();
        foreach (var key in orphans)
        {
            await checkpoints.Database.StringSetAsync(key, new byte[] { 1, 2, 3 });
        }

        await checkpoints.Store.SaveAsync(checkpoints.Snapshot(50, modelBytes: 1000));

        foreach (var key in orphans)
        {
            (await checkpoints.Database.KeyExistsAsync(key)).Should().BeFalse();
        }
        (await checkpoints.Database.HashLengthAsync(StoreKeys.CheckpointsWriting(checkpoints.ExperimentId))).Should().Be(0);
        (await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec)).Checkpoint!.Manifest.Step.Should().Be(50);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Deleting_all_checkpoints_leaves_nothing_to_load(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var saved = await checkpoints.Store.SaveAsync(checkpoints.Snapshot(1, modelBytes: 1000));

        await checkpoints.Store.DeleteAllAsync(checkpoints.ExperimentId);

        (await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec)).Found.Should().BeFalse();
        (await CountExistingAsync(checkpoints, saved)).Should().Be(0);
    }

    [Fact]
    public async Task Snapshot_with_two_sections_of_one_name_is_refused()
    {
        var checkpoints = new CheckpointTestContext(servers.Connection("redis"));
        var snapshot = new CheckpointSnapshot(checkpoints.ExperimentId, 1, "spec", [new("model", new byte[1]), new("model", new byte[2])]);

        var save = () => checkpoints.Store.SaveAsync(snapshot);

        await save.Should().ThrowAsync<ArgumentException>().WithMessage("*'model' appears more than once*");
    }

    private static async Task<int> CountExistingAsync(CheckpointTestContext checkpoints, CheckpointManifest manifest)
    {
        var count = 0;
        foreach (var key in manifest.Chunks.Select(c => c.Key).Append(StoreKeys.CheckpointManifest(manifest.ExperimentId, manifest.CheckpointId)))
        {
            count += await checkpoints.Database.KeyExistsAsync(key) ? 1 : 0;
        }
        return count;
    }
}
