using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Checkpoints;

public sealed partial class CheckpointStore
{
    // Chunk numbers are probed in batches this large when no manifest lists them; larger than the most writes
    // ever in flight, so a gap left by a crash mid-save cannot end the probe early.
    private const int ProbeBatch = 64;

    /// <summary>Deletes every checkpoint of an experiment (a cancelled or finished run whose checkpoints are no longer wanted).</summary>
    public async Task DeleteAllAsync(string experimentId)
    {
        await DeleteAbandonedWritesAsync(experimentId);
        foreach (var id in await store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(experimentId)))
        {
            await DeleteCheckpointAsync(experimentId, id!, "all checkpoints deleted");
        }
        await store.Database.KeyDeleteAsync([StoreKeys.CheckpointIndex(experimentId), StoreKeys.CheckpointSequence(experimentId)]);
    }

    /// <summary>
    /// A finished run keeps its newest checkpoint only: it holds the final weights (the model the user keeps) and is what a
    /// repeated Start finds; the older ones and any save that never committed are only bytes in the store's files.
    /// </summary>
    public async Task KeepFinalOnlyAsync(string experimentId)
    {
        await DeleteAbandonedWritesAsync(experimentId);
        await DeleteBeyondNewestAsync(experimentId, keep: 1);
    }

    /// <summary>Deletes the committed checkpoints older than the newest <paramref name="keep"/>.</summary>
    private async Task DeleteBeyondNewestAsync(string experimentId, int keep)
    {
        var oldest = await store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(experimentId), 0, -(keep + 1));
        foreach (var id in oldest)
        {
            await DeleteCheckpointAsync(experimentId, id!, $"beyond the newest {keep}");
        }
    }

    /// <summary>Deletes the chunks of saves that began but never committed (the writer died), which no manifest lists.</summary>
    private async Task DeleteAbandonedWritesAsync(string experimentId)
    {
        var writingKey = StoreKeys.CheckpointsWriting(experimentId);
        foreach (var entry in await store.Database.HashKeysAsync(writingKey))
        {
            var checkpointId = (string)entry!;
            await DeleteNumberedChunksAsync(experimentId, checkpointId);
            await store.Database.HashDeleteAsync(writingKey, checkpointId);
            CheckpointLog.Deleted(logger, checkpointId, experimentId, "abandoned before its commit");
        }
    }

    private async Task DeleteCheckpointAsync(string experimentId, string checkpointId, string reason)
    {
        var db = store.Database;
        // Out of the index first, so no reader picks it while its chunks go.
        await db.SortedSetRemoveAsync(StoreKeys.CheckpointIndex(experimentId), checkpointId);
        var manifestKey = StoreKeys.CheckpointManifest(experimentId, checkpointId);
        var json = (string?)await db.StringGetAsync(manifestKey);
        var manifest = json is null ? null : CheckpointManifestJson.TryDeserialize(json, out _);
        if (manifest is null)
        {
            await DeleteNumberedChunksAsync(experimentId, checkpointId);
        }
        else
        {
            // A damaged manifest could name another checkpoint's chunks: delete only keys of this checkpoint.
            var prefix = ChunkKeyPrefix(experimentId, checkpointId);
            var keys = manifest.Chunks.Select(c => c.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal));
            foreach (var batch in keys.Chunk(ProbeBatch))
            {
                await db.KeyDeleteAsync([.. batch.Select(k => (RedisKey)k)]);
            }
        }
        await db.KeyDeleteAsync(manifestKey);
        CheckpointLog.Deleted(logger, checkpointId, experimentId, reason);
    }

    /// <summary>Deletes chunk 0, 1, 2, ... of a checkpoint until a whole batch of numbers finds nothing.</summary>
    private async Task DeleteNumberedChunksAsync(string experimentId, string checkpointId)
    {
        for (var first = 0; ; first += ProbeBatch)
        {
            var keys = Enumerable.Range(first, ProbeBatch).Select(n => (RedisKey)StoreKeys.CheckpointChunk(experimentId, checkpointId, n)).ToArray();
            if (await store.Database.KeyDeleteAsync(keys) == 0)
            {
                return;
            }
        }
    }

    private static string ChunkKeyPrefix(string experimentId, string checkpointId) =>
        StoreKeys.CheckpointChunk(experimentId, checkpointId, 0)[..^1];
}
