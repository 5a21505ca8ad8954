using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Tests.Checkpoints;

/// <summary>A checkpoint store over a real server, with its own experiment id, and helpers to make and damage checkpoints.</summary>
internal sealed class CheckpointTestContext(IConnectionMultiplexer connection, CheckpointOptions? settings = null)
{
    public const string Spec = "spec-a";

    public string ExperimentId { get; } = SharedStoreServers.UniqueId("exp");

    public IDatabase Database { get; } = connection.GetDatabase();

    public CheckpointStore Store { get; } = new(new GreenTrainStore(connection), Options.Create(settings ?? new CheckpointOptions()),
        NullLogger<CheckpointStore>.Instance);

    /// <summary>A snapshot with a multi-chunk model section (9 MB and a bit), an exactly-one-chunk optimizer, and small parts.</summary>
    public CheckpointSnapshot Snapshot(long step, string spec = Spec, int modelBytes = 9 * 1024 * 1024 + 123) => new(ExperimentId, step, spec,
    [
        new("model", RandomBytes(modelBytes, seed: (int)step)),
        new("optimizer", RandomBytes(CheckpointOptions.MaxChunkBytes, seed: (int)step + 1)),
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
