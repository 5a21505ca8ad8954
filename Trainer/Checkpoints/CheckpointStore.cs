using GreenTrain.ServiceDefaults.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// Checkpoints in the shared store. A save writes the sections as chunks of at most 4 MB, then commits a
/// manifest with each chunk's SHA-256 (the manifest is the commit: without it the chunks are not a
/// checkpoint), then deletes the checkpoints beyond the newest K. A load walks the committed checkpoints
/// newest first and returns the first one whose every chunk is present and matches its sum; damaged ones
/// are logged and passed over, so a worker never resumes from garbage.
/// The parts live in partial files: saving (.Save.cs), loading (.Load.cs), deleting (.Delete.cs).
/// At most one writer per experiment at a time (the queue lease guarantees it).
/// </summary>
public sealed partial class CheckpointStore(GreenTrainStore store, IOptions<CheckpointOptions> options, ILogger<CheckpointStore> logger)
{
    private CheckpointOptions Settings => options.Value;

    /// <summary>The committed checkpoints of an experiment whose manifests can be read, newest first (chunks not verified).</summary>
    public async Task<IReadOnlyList<CheckpointManifest>> ListAsync(string experimentId)
    {
        var ids = await store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(experimentId), order: StackExchange.Redis.Order.Descending);
        var manifests = new List<CheckpointManifest>();
        foreach (var id in ids)
        {
            var json = (string?)await store.Database.StringGetAsync(StoreKeys.CheckpointManifest(experimentId, id!));
            if (json is not null && CheckpointManifestJson.TryDeserialize(json, out _) is { } manifest)
            {
                manifests.Add(manifest);
            }
        }
        return manifests;
    }

    /// <summary>A new checkpoint id: the step first, so ids sort by step when listed, then a random part so two saves never collide.</summary>
    internal static string NewCheckpointId(long step) => $"step-{step:D12}-{Guid.NewGuid():N}"[..30];
}
