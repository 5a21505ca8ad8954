using System.Diagnostics;
using System.Security.Cryptography;
using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Checkpoints;

public sealed partial class CheckpointStore
{
    /// <summary>
    /// Writes <paramref name="snapshot"/> and commits it, then keeps only the newest <paramref name="keepLast"/>
    /// checkpoints (the configured KeepLast when null). Throws on store errors and when the commit finds a chunk
    /// missing; in both cases no manifest was written, so the previous checkpoints stay the newest.
    /// </summary>
    public async Task<CheckpointManifest> SaveAsync(CheckpointSnapshot snapshot, int? keepLast = null, CancellationToken cancellationToken = default)
    {
        Validate(snapshot);
        var keep = keepLast ?? Settings.KeepLast;
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1, nameof(keepLast));
        var watch = Stopwatch.StartNew();
        var experimentId = snapshot.ExperimentId;
        var checkpointId = NewCheckpointId(snapshot.Step);
        var db = store.Database;

        await DeleteAbandonedWritesAsync(experimentId);
        await db.HashSetAsync(StoreKeys.CheckpointsWriting(experimentId), checkpointId, DateTimeOffset.UtcNow.ToString("O"));
        var sections = await WriteChunksAsync(snapshot, checkpointId, cancellationToken);
        var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormatVersion, checkpointId, experimentId, snapshot.Step,
            snapshot.SpecHash, DateTimeOffset.UtcNow, sections);

        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] keys =
        [
            StoreKeys.CheckpointManifest(experimentId, checkpointId), StoreKeys.CheckpointIndex(experimentId),
            StoreKeys.CheckpointSequence(experimentId), StoreKeys.CheckpointsWriting(experimentId),
            .. manifest.Chunks.Select(c => (RedisKey)c.Key),
        ];
        var sequence = (long)await db.ScriptEvaluateAsync(CheckpointScripts.Commit, keys,
            [CheckpointManifestJson.Serialize(manifest), checkpointId]);
        if (sequence < 0)
        {
            throw new InvalidOperationException(
                $"Checkpoint {checkpointId} of experiment {experimentId} was not committed: chunks vanished while it was written (another writer for the same experiment?).");
        }
        CheckpointLog.Committed(logger, checkpointId, experimentId, snapshot.Step, manifest.TotalBytes, manifest.Chunks.Count(),
            watch.Elapsed.TotalMilliseconds);

        // Only now, with a newer manifest committed, may older chunks go. A failure here does not undo the
        // commit: the save succeeded, and the next save deletes what this one could not.
        try
        {
            await DeleteBeyondNewestAsync(experimentId, keep);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            CheckpointLog.PruneFailed(logger, ex, experimentId);
        }
        return manifest;
    }

    private async Task<List<ManifestSection>> WriteChunksAsync(CheckpointSnapshot snapshot, string checkpointId, CancellationToken cancellationToken)
    {
        var db = store.Database;
        var chunkSize = Settings.ChunkSizeBytes;
        var inFlight = new List<Task>(Settings.ParallelTransfers);
        var sections = new List<ManifestSection>(snapshot.Sections.Count);
        var chunkNumber = 0;
        foreach (var section in snapshot.Sections)
        {
            var chunks = new List<ManifestChunk>();
            for (var offset = 0; offset < section.Data.Length; offset += chunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slice = section.Data.Slice(offset, Math.Min(chunkSize, section.Data.Length - offset));
                var key = StoreKeys.CheckpointChunk(snapshot.ExperimentId, checkpointId, chunkNumber++);
                chunks.Add(new ManifestChunk(key, slice.Length, Convert.ToHexStringLower(SHA256.HashData(slice.Span))));
                if (inFlight.Count == Settings.ParallelTransfers)
                {
                    var done = await Task.WhenAny(inFlight);
                    inFlight.Remove(done);
                    await done; // surfaces a failed write
                }
                inFlight.Add(db.StringSetAsync(key, slice));
            }
            sections.Add(new ManifestSection(section.Name, section.Data.Length, chunks));
        }
        await Task.WhenAll(inFlight);
        return sections;
    }

    private static void Validate(CheckpointSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        StoreKeys.Segment(snapshot.ExperimentId, nameof(snapshot.ExperimentId));
        ArgumentOutOfRangeException.ThrowIfNegative(snapshot.Step, nameof(snapshot.Step));
        ArgumentNullException.ThrowIfNull(snapshot.SpecHash, nameof(snapshot.SpecHash));
        ArgumentNullException.ThrowIfNull(snapshot.Sections, nameof(snapshot.Sections));
        if (snapshot.Sections.Any(s => string.IsNullOrWhiteSpace(s?.Name)))
        {
            throw new ArgumentException("Every checkpoint section needs a name.", nameof(snapshot));
        }
        var duplicate = snapshot.Sections.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The checkpoint section '{duplicate.Key}' appears more than once.", nameof(snapshot));
        }
    }
}
