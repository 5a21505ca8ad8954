using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Benchmarks.Checkpoints;

/// <summary>
/// Save and restore throughput of the checkpoint store against real servers: a redis-server child process,
/// the AppHost's embedded Garnet (both with their append-only files on, as GreenTrain runs them), or any
/// store given by connection string. Save is timed through the background writer, as the Trainer uses it,
/// so the table also shows what the training step pays to hand a snapshot over.
/// </summary>
public static class CheckpointBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var snapshotBytes = MakeSections(arguments.SizeMiB);
        var hashMiBps = MeasureSha256(snapshotBytes);
        Console.WriteLine($"Checkpoint benchmark: {arguments.SizeMiB} MiB, {arguments.Runs} measured rounds after one warm-up, " +
                          $"{Environment.ProcessorCount} cores (load average {LoadAverage()}); SHA-256 alone: {hashMiBps:F0} MiB/s");
        var results = new List<StoreResult>();
        foreach (var store in arguments.Stores)
        {
            results.Add(await MeasureStoreAsync(store, snapshotBytes, arguments));
        }

        Console.WriteLine();
        Console.WriteLine(BenchmarkTable.Render(results));
        var report = new BenchmarkReport(DateTimeOffset.UtcNow, Environment.CommandLine, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, Environment.ProcessorCount, LoadAverage(), arguments.SizeMiB, hashMiBps, results);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        Console.WriteLine($"Results written to {Path.GetFullPath(arguments.Output)}");
        return 0;
    }

    private static async Task<StoreResult> MeasureStoreAsync(string store, IReadOnlyList<CheckpointSection> sections, BenchmarkArguments arguments)
    {
        await using var server = store is "redis" or "garnet" ? await StoreServers.StartAsync(store) : null;
        var options = ConfigurationOptions.Parse(server?.ConnectionString ?? store);
        options.SyncTimeout = options.AsyncTimeout = 60_000; // a loaded 2-core machine may take seconds per 4 MB command
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var greenTrainStore = new GreenTrainStore(connection);
        var kind = await greenTrainStore.GetKindAsync();
        var checkpoints = new CheckpointStore(greenTrainStore, Options.Create(new CheckpointOptions { KeepLast = 2 }), NullLogger<CheckpointStore>.Instance);
        var experimentId = $"bench-{Guid.NewGuid():N}"[..18];
        var rounds = new List<RoundResult>();
        try
        {
            await using var writer = new BackgroundCheckpointWriter(checkpoints, NullLogger<BackgroundCheckpointWriter>.Instance);
            for (var round = 0; round <= arguments.Runs; round++)
            {
                var snapshot = new CheckpointSnapshot(experimentId, round, "bench-spec", sections);
                var submitWatch = Stopwatch.StartNew();
                var saving = await writer.SubmitAsync(snapshot);
                var submitMs = submitWatch.Elapsed.TotalMilliseconds;
                var saved = await saving;
                if (saved.Status != CheckpointSaveStatus.Committed)
                {
                    throw new InvalidOperationException($"Save failed against {store}: {saved.Error?.Message}", saved.Error);
                }
                var restoreWatch = Stopwatch.StartNew();
                var loaded = await checkpoints.LoadLatestAsync(experimentId, "bench-spec");
                var restoreSeconds = restoreWatch.Elapsed.TotalSeconds;
                if (loaded.Checkpoint?.Manifest.Step != round)
                {
                    throw new InvalidOperationException($"Restore from {store} did not return the checkpoint just saved.");
                }
                var label = round == 0 ? "warm-up" : $"round {round}";
                Console.WriteLine($"  {store,-8} {label,-8} save {saved.Duration.TotalSeconds,6:F2} s  restore {restoreSeconds,6:F2} s  submit {submitMs,6:F3} ms");
                if (round > 0)
                {
                    rounds.Add(new RoundResult(saved.Duration.TotalSeconds, restoreSeconds, submitMs));
                }
            }
        }
        finally
        {
            await checkpoints.DeleteAllAsync(experimentId);
        }
        return StoreResult.From(store, kind.ToString().ToLowerInvariant(), arguments.SizeMiB, rounds);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), so a reader can tell a quiet machine from a busy one.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>A checkpoint shaped like a model's: most bytes in parameters and optimizer moments, a few small parts. Random, so nothing compresses.</summary>
    private static List<CheckpointSection> MakeSections(int sizeMiB)
    {
        var total = sizeMiB * 1024L * 1024;
        var small = new[] { ("scheduler", 64), ("scaler", 16), ("rng", 5056), ("cursor", 24), ("metrics", 4096) };
        var large = total - small.Sum(s => s.Item2);
        var random = new Random(42);
        byte[] Bytes(long n) { var b = new byte[n]; random.NextBytes(b); return b; }
        return
        [
            new("model", Bytes(large / 3)),
            new("optimizer", Bytes(large - large / 3)),
            .. small.Select(s => new CheckpointSection(s.Item1, Bytes(s.Item2))),
        ];
    }

    private static double MeasureSha256(IReadOnlyList<CheckpointSection> sections)
    {
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        foreach (var section in sections)
        {
            for (var offset = 0; offset < section.Data.Length; offset += CheckpointOptions.MaxChunkBytes)
            {
                var slice = section.Data.Span.Slice(offset, Math.Min(CheckpointOptions.MaxChunkBytes, section.Data.Length - offset));
                SHA256.HashData(slice);
                bytes += slice.Length;
            }
        }
        return bytes / 1048576.0 / watch.Elapsed.TotalSeconds;
    }
}
