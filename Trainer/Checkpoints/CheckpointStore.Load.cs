using System.Diagnostics;
using System.Security.Cryptography;
using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Checkpoints;

public sealed partial class CheckpointStore
{
    /// <summary>
    /// The newest committed checkpoint of <paramref name="experimentId"/> for <paramref name="specHash"/> whose
    /// every chunk is present and matches its SHA-256. Damaged or foreign checkpoints are logged as errors and
    /// passed over; when none is good the result says so (it never throws for damaged data). Store errors
    /// (unreachable, timeout) do throw: "the store is down" must not look like "there is no checkpoint",
    /// or a worker would restart a run from step 0.
    /// </summary>
    public async Task<CheckpointLoadResult> LoadLatestAsync(string experimentId, string specHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specHash);
        var ids = await store.Database.SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(experimentId), order: Order.Descending);
        var rejected = new List<RejectedCheckpoint>();
        foreach (var id in ids)
        {
            var checkpointId = (string)id!;
            var watch = Stopwatch.StartNew();
            var (loaded, rejection) = await TryLoadAsync(experimentId, checkpointId, specHash, cancellationToken);
            if (loaded is not null)
            {
                CheckpointLog.Restored(logger, checkpointId, experimentId, loaded.Manifest.Step, loaded.Manifest.TotalBytes,
                    watch.Elapsed.TotalMilliseconds);
                return new CheckpointLoadResult(loaded, rejected);
            }
            CheckpointLog.Rejected(logger, checkpointId, experimentId, rejection!.Problem, rejection.Detail);
            rejected.Add(rejection);
        }
        CheckpointLog.NoneFound(logger, experimentId, specHash, rejected.Count);
        return new CheckpointLoadResult(null, rejected);
    }

    private async Task<(LoadedCheckpoint?, RejectedCheckpoint?)> TryLoadAsync(
        string experimentId, string checkpointId, string specHash, CancellationToken cancellationToken)
    {
        RejectedCheckpoint Reject(CheckpointProblem problem, string detail) => new(checkpointId, problem, detail);

        var json = (string?)await store.Database.StringGetAsync(StoreKeys.CheckpointManifest(experimentId, checkpointId));
        if (json is null)
        {
            return (null, Reject(CheckpointProblem.ManifestMissing, "the index lists it but its manifest is absent"));
        }
        var manifest = CheckpointManifestJson.TryDeserialize(json, out var problem);
        if (manifest is null || manifest.CheckpointId != checkpointId || manifest.ExperimentId != experimentId)
        {
            return (null, Reject(CheckpointProblem.ManifestUnreadable, problem ?? "the manifest names another checkpoint"));
        }
        if (manifest.SpecHash != specHash)
        {
            return (null, Reject(CheckpointProblem.SpecHashMismatch, $"written for spec {manifest.SpecHash}, wanted {specHash}"));
        }

        var buffers = manifest.Sections.ToDictionary(s => s.Name, s => new byte[s.Length]);
        var reads = manifest.Sections.SelectMany(s => s.Chunks.Select((chunk, index) =>
            (Section: s.Name, Chunk: chunk, Offset: s.Chunks.Take(index).Sum(c => (long)c.Length))));
        var failure = (RejectedCheckpoint?)null;
        await Parallel.ForEachAsync(reads, new ParallelOptions { MaxDegreeOfParallelism = Settings.ParallelTransfers, CancellationToken = cancellationToken },
            async (read, _) =>
            {
                if (Volatile.Read(ref failure) is null && await ReadChunkAsync(read.Chunk, buffers[read.Section], read.Offset) is { } bad)
                {
                    Interlocked.CompareExchange(ref failure, Reject(bad.Problem, $"section '{read.Section}': {bad.Detail}"), null);
                }
            });
        return failure is null ? (new LoadedCheckpoint(manifest, buffers), null) : (null, failure);
    }

    /// <summary>Copies one chunk into its place in the section buffer after checking its length and sum; the problem otherwise.</summary>
    private async Task<(CheckpointProblem Problem, string Detail)?> ReadChunkAsync(ManifestChunk chunk, byte[] section, long offset)
    {
        using var lease = await store.Database.StringGetLeaseAsync(chunk.Key);
        if (lease is null)
        {
            return (CheckpointProblem.ChunkMissing, $"chunk {chunk.Key} is missing");
        }
        if (lease.Length != chunk.Length)
        {
            return (CheckpointProblem.LengthMismatch, $"chunk {chunk.Key} has {lease.Length} bytes, the manifest says {chunk.Length}");
        }
        var bytes = lease.Span;
        if (!Convert.ToHexStringLower(SHA256.HashData(bytes)).Equals(chunk.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return (CheckpointProblem.ChecksumMismatch, $"chunk {chunk.Key} does not match its SHA-256");
        }
        bytes.CopyTo(section.AsSpan((int)offset));
        return null;
    }
}
