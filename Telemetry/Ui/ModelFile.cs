using System.Security.Cryptography;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Ui;

/// <summary>
/// The model file of an experiment: the fp32 weights ("parameters" section) of its newest committed checkpoint, read
/// from the store's chunks and checked against the manifest's SHA-256 sums. The manifest is the Trainer's
/// (Trainer/Checkpoints/CheckpointManifest.cs, camelCase JSON); only the fields needed here are read.
/// </summary>
public static class ModelFile
{
    public const string Section = "parameters";

    public sealed record Checkpoint(string Id, long Step, IReadOnlyList<(string Key, int Length, string Sha256)> Chunks);

    /// <summary>The newest committed checkpoint that has a parameters section; null when there is none.</summary>
    public static async Task<Checkpoint?> NewestCheckpointAsync(GreenTrainStore store, string experimentId)
    {
        var ids = await store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(experimentId), 0, 0, Order.Descending);
        if (ids.Length == 0)
        {
            return null;
        }
        var checkpointId = (string)ids[0]!;
        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CheckpointManifest(experimentId, checkpointId));
        if (json is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var section = root.GetProperty("sections").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == Section);
            if (section.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var chunks = section.GetProperty("chunks").EnumerateArray()
                .Select(c => (c.GetProperty("key").GetString()!, c.GetProperty("length").GetInt32(), c.GetProperty("sha256").GetString()!)).ToList();
            return new Checkpoint(checkpointId, root.GetProperty("step").GetInt64(), chunks);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The section's bytes, or null when a chunk is missing or does not match its sum (the checkpoint is damaged).</summary>
    public static async Task<byte[]?> ReadAsync(GreenTrainStore store, Checkpoint checkpoint)
    {
        using var bytes = new MemoryStream();
        foreach (var (key, length, sha) in checkpoint.Chunks)
        {
            var chunk = (byte[]?)await store.Database.StringGetAsync(key);
            if (chunk is null || chunk.Length != length || !Convert.ToHexStringLower(SHA256.HashData(chunk)).Equals(sha, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            bytes.Write(chunk);
        }
        return bytes.ToArray();
    }
}
