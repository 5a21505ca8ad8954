using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Tests.Checkpoints;

/// <summary>
/// A checkpoint store over a real server, with its own experiment id, and helpers to make and damage checkpoints.
/// <paramref name="chunkSizeBytes"/> defaults to the real 4 MB; tests about which checkpoint wins use small
/// chunks, which keep them fast while every section still spans several chunks.
/// </summary>
internal sealed class CheckpointTestContext(IConnectionMultiplexer connection, int chunkSizeBytes = CheckpointOptions.MaxChunkBytes)
{
    public const string Spec = "spec-a";

    /// <summary>The chunk size of the fast variant: 64 KiB.</summary>
    public const int SmallChunks = 64 * 1024;

    public int ChunkSizeBytes => chunkSizeBytes;

    public string ExperimentId { get; } = SharedStoreServers.UniqueId("exp");

    public IDatabase Database { get; } = connection.GetDatabase();

    public CheckpointStore Store { get; } = new(new GreenTrainStore(connection),
        Options.Create(new CheckpointOptions { ChunkSizeBytes = chunkSizeBytes }), NullLogger<CheckpointStore>.Instance);

    /// <summary>
    /// A snapshot with a model section of two chunks and a bit (three chunks unless <paramref name="modelBytes"/>
    /// says otherwise), an optimizer section of exactly one chunk, and small parts, one of them empty.
    /// </summary>
    public CheckpointSnapshot Snapshot(long step, string spec = Spec, int? modelBytes = null) => new(ExperimentId, step, spec,
    [
        new("model", RandomBytes(modelBytes ?? 2 * chunkSizeBytes + 123, seed: (int)step)),
        new("optimizer", RandomBytes(chunkSizeBytes, seed: (int)step + 1)),
        new("rng", RandomBytes(16, seed: (int)step + 2)),
        new("metrics", Array.Empty<byte>()),
    ]);

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Changes one byte of a stored chunk in place, as a faulty disk or a stray write would.</summary>
    public async Task FlipByteAsync(string key, int offset)
    {
        var bytes = (byte[])(await Database.StringGetAsync(key))!;
        bytes[offset] ^= 0x5A;
        await Database.StringSetAsync(key, bytes);
    }
}
