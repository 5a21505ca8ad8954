using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;

namespace GreenTrain.Trainer.Tests.Checkpoints;

/// <summary>Damage done to checkpoint bytes in the store: the load falls back to the previous good checkpoint, never to garbage.</summary>
public sealed class CheckpointCorruptionTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Flipped_byte_in_a_chunk_falls_back_to_the_previous_checkpoint(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var (good, damaged) = await SaveTwoAsync(checkpoints);

        await checkpoints.FlipByteAsync(damaged.Sections[0].Chunks[1].Key, offset: 1234);
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        loaded.Checkpoint!.Manifest.CheckpointId.Should().Be(good.CheckpointId);
        loaded.Checkpoint.Sections["model"].Should().Equal(checkpoints.Snapshot(100).Sections[0].Data.ToArray());
        loaded.Rejected.Should().ContainSingle().Which.Should().Match<RejectedCheckpoint>(
            r => r.CheckpointId == damaged.CheckpointId && r.Problem == CheckpointProblem.ChecksumMismatch);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Missing_chunk_falls_back_to_the_previous_checkpoint(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var (good, damaged) = await SaveTwoAsync(checkpoints);

        await checkpoints.Database.KeyDeleteAsync(damaged.Sections[1].Chunks[0].Key);
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        loaded.Checkpoint!.Manifest.CheckpointId.Should().Be(good.CheckpointId);
        loaded.Rejected.Select(r => r.Problem).Should().Equal(CheckpointProblem.ChunkMissing);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Manifest_rewritten_for_another_spec_is_passed_over(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var (good, foreign) = await SaveTwoAsync(checkpoints);
        var manifestKey = StoreKeys.CheckpointManifest(checkpoints.ExperimentId, foreign.CheckpointId);

        await checkpoints.Database.StringSetAsync(manifestKey, CheckpointManifestJson.Serialize(foreign with { SpecHash = "spec-b" }));
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);
        var loadedForB = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, "spec-b");

        loaded.Checkpoint!.Manifest.CheckpointId.Should().Be(good.CheckpointId);
        loaded.Rejected.Select(r => r.Problem).Should().Equal(CheckpointProblem.SpecHashMismatch);
        loadedForB.Checkpoint!.Manifest.CheckpointId.Should().Be(foreign.CheckpointId, "the chunks are intact, only the spec differs");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task When_no_checkpoint_is_intact_the_load_says_none_found_instead_of_throwing(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var (older, newer) = await SaveTwoAsync(checkpoints);

        await checkpoints.Database.StringSetAsync(StoreKeys.CheckpointManifest(checkpoints.ExperimentId, newer.CheckpointId), "{\"formatVersion\":1,\"chec");
        await checkpoints.Database.StringSetAsync(older.Sections[0].Chunks[2].Key, new byte[] { 1, 2, 3 });
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        loaded.Found.Should().BeFalse();
        loaded.Rejected.Select(r => r.Problem).Should().Equal(CheckpointProblem.ManifestUnreadable, CheckpointProblem.LengthMismatch);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Manifest_claiming_an_impossible_length_is_rejected_before_any_allocation(string kind)
    {
        var checkpoints = new CheckpointTestContext(servers.Connection(kind), CheckpointTestContext.SmallChunks);
        var (good, damaged) = await SaveTwoAsync(checkpoints);
        var huge = damaged.Sections[0] with { Length = long.MaxValue / 2 };

        await checkpoints.Database.StringSetAsync(StoreKeys.CheckpointManifest(checkpoints.ExperimentId, damaged.CheckpointId),
            CheckpointManifestJson.Serialize(damaged with { Sections = [huge, .. damaged.Sections.Skip(1)] }));
        var loaded = await checkpoints.Store.LoadLatestAsync(checkpoints.ExperimentId, CheckpointTestContext.Spec);

        loaded.Checkpoint!.Manifest.CheckpointId.Should().Be(good.CheckpointId);
        loaded.Rejected.Select(r => r.Problem).Should().Equal(CheckpointProblem.ManifestUnreadable);
    }

    private static async Task<(CheckpointManifest Older, CheckpointManifest Newer)> SaveTwoAsync(CheckpointTestContext checkpoints)
    {
        var older = await checkpoints.Store.SaveAsync(checkpoints.Snapshot(100));
        var newer = await checkpoints.Store.SaveAsync(checkpoints.Snapshot(200));
        return (older, newer);
    }
}
