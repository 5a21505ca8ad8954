using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.Experiments;

/// <summary>
/// The per-experiment keys the Scheduler and the Trainer workers share (docs/store.md, "Experiment control
/// and progress"): the spec the Scheduler writes before queuing a Start, the control hash that says what
/// is wanted now (run, pause, cancel; the newest command wins), and the progress hash the worker keeps up
/// to date. Queued commands are delivered once a worker is free; the control hash reaches the worker that
/// is busy training the experiment, which is how a pause stops a running job.
/// </summary>
public sealed class ExperimentStore(GreenTrainStore store)
{
    // Newer wins: a command issued before the one that set the current desired state is ignored, so
    // commands applied out of order (a retry, a slow worker) cannot undo a later decision.
    private const string SetDesiredIfNewer = """
        local current = tonumber(redis.call('HGET', KEYS[1], 'issuedAt') or '-1')
        if tonumber(ARGV[2]) < current then return 0 end
        redis.call('HSET', KEYS[1], 'desired', ARGV[1], 'issuedAt', ARGV[2], 'commandId', ARGV[3], 'updatedAt', ARGV[4])
        return 1
        """;

    private IDatabase Db => store.Database;

    public Task WriteSpecAsync(string experimentId, ExperimentSpec spec) =>
        Db.StringSetAsync(StoreKeys.ExperimentSpec(experimentId), ExperimentSpecJson.Serialize(spec));

    /// <summary>Sets where the worker stops the run (null: it trains the whole spec).</summary>
    public Task WriteSegmentLimitAsync(string experimentId, SegmentLimit? limit) => limit is null
        ? Db.KeyDeleteAsync(StoreKeys.ExperimentSegmentLimit(experimentId))
        : Db.StringSetAsync(StoreKeys.ExperimentSegmentLimit(experimentId), limit.Wire);

    /// <summary>Where the worker is to stop the run, or null when it trains the whole spec.</summary>
    public async Task<SegmentLimit?> ReadSegmentLimitAsync(string experimentId) =>
        SegmentLimit.Parse(await Db.StringGetAsync(StoreKeys.ExperimentSegmentLimit(experimentId)));

    /// <summary>The spec's JSON as stored, or null when the Scheduler wrote none.</summary>
    public async Task<string?> ReadSpecAsync(string experimentId) => await Db.StringGetAsync(StoreKeys.ExperimentSpec(experimentId));

    /// <summary>Sets the desired state unless a later command already set it; true when it was set. Wakes the worker running the experiment.</summary>
    public async Task<bool> RequestAsync(string experimentId, DesiredRunState desired, DateTimeOffset issuedAt, string commandId)
    {
        var set = (long)await Db.ScriptEvaluateAsync(SetDesiredIfNewer, [StoreKeys.ExperimentControl(experimentId)],
            [ExperimentProgressHash.Wire(desired), issuedAt.ToUnixTimeMilliseconds(), commandId, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)]) == 1;
        if (set)
        {
            await store.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StoreKeys.ControlUpdatesChannel), experimentId);
        }
        return set;
    }

    /// <summary>The desired state, or null when no command has set one yet.</summary>
    public async Task<ExperimentControl?> GetControlAsync(string experimentId)
    {
        var values = await Db.HashGetAsync(StoreKeys.ExperimentControl(experimentId), ["desired", "issuedAt", "commandId"]);
        return ExperimentProgressHash.TryParse((string?)values[0], out DesiredRunState desired) && long.TryParse((string?)values[1], out var issuedMs)
            ? new ExperimentControl(desired, DateTimeOffset.FromUnixTimeMilliseconds(issuedMs), (string?)values[2] ?? "")
            : null;
    }

    /// <summary>Manifest lines pushed per command, so a manifest of many thousand lines never stalls the store in one command.</summary>
    public const int DedupManifestBatch = 1000;

    /// <summary>
    /// Replaces the experiment's dedup record: the old summary goes first, then the manifest lines are pushed in
    /// batches, then the new summary is set, so a reader that finds a summary finds its whole manifest.
    /// </summary>
    public async Task WriteDedupAsync(string experimentId, string summaryJson, IReadOnlyList<string> manifestLines)
    {
        var manifest = StoreKeys.ExperimentDedupManifest(experimentId);
        await Db.KeyDeleteAsync([StoreKeys.ExperimentDedup(experimentId), manifest]);
        for (var start = 0; start < manifestLines.Count; start += DedupManifestBatch)
        {
            var batch = manifestLines.Skip(start).Take(DedupManifestBatch).Select(line => (RedisValue)line).ToArray();
            await Db.ListRightPushAsync(manifest, batch);
        }
        await Db.StringSetAsync(StoreKeys.ExperimentDedup(experimentId), summaryJson);
    }

    /// <summary>The JSON DedupSummary of the experiment's dedup stage, or null when it ran none.</summary>
    public async Task<string?> ReadDedupAsync(string experimentId) => await Db.StringGetAsync(StoreKeys.ExperimentDedup(experimentId));

    /// <summary>The dedup manifest's lines (JSON, one removed example each), in the order the stage removed them.</summary>
    public async Task<IReadOnlyList<string>> ReadDedupManifestAsync(string experimentId) =>
        [.. (await Db.ListRangeAsync(StoreKeys.ExperimentDedupManifest(experimentId))).Select(v => (string)v!)];

    /// <summary>Replaces the progress hash, indexes the experiment and wakes readers.</summary>
    public async Task WriteProgressAsync(ExperimentProgress progress)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(StoreKeys.ExperimentProgress(progress.ExperimentId), ExperimentProgressHash.ToEntries(progress));
        _ = transaction.SortedSetAddAsync(StoreKeys.ProgressIndex, progress.ExperimentId, progress.UpdatedAt.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync();
        await store.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StoreKeys.ProgressUpdatesChannel), progress.ExperimentId);
    }

    public async Task<ExperimentProgress?> ReadProgressAsync(string experimentId) =>
        ExperimentProgressHash.FromEntries(experimentId, await Db.HashGetAllAsync(StoreKeys.ExperimentProgress(experimentId)));

    /// <summary>The progress of the most recently updated experiments, newest first.</summary>
    public async Task<IReadOnlyList<ExperimentProgress>> ListProgressAsync(int max = 100)
    {
        var ids = await Db.SortedSetRangeByRankAsync(StoreKeys.ProgressIndex, 0, max - 1, Order.Descending);
        var list = new List<ExperimentProgress>(ids.Length);
        foreach (var id in ids)
        {
            if (await ReadProgressAsync((string)id!) is { } progress)
            {
                list.Add(progress);
            }
        }
        return list;
    }

    /// <summary>
    /// Appends an evaluation (its JSON, as the progress hash's lastMetric holds it) to the experiment's history. Fire and
    /// forget: the training thread never waits for the store; a lost entry only leaves a gap in the chart.
    /// </summary>
    public void AppendEvaluation(string experimentId, string evaluationJson) =>
        Db.ListRightPush(StoreKeys.ExperimentEvaluations(experimentId), evaluationJson, flags: CommandFlags.FireAndForget);

    /// <summary>The evaluations as stored, oldest first (a resume may repeat a step: the later entry is the one that counts).</summary>
    public async Task<IReadOnlyList<string>> ReadEvaluationsAsync(string experimentId) =>
        (await Db.ListRangeAsync(StoreKeys.ExperimentEvaluations(experimentId))).Select(v => (string)v!).ToList();

    /// <summary>Appends a plan to the experiment's plan history, keeping the newest <see cref="PlanSnapshot.Kept"/>.</summary>
    public async Task AppendPlanAsync(string experimentId, PlanSnapshot plan)
    {
        var key = StoreKeys.ExperimentPlans(experimentId);
        var transaction = Db.CreateTransaction();
        _ = transaction.ListRightPushAsync(key, PlanSnapshot.Serialize(plan));
        _ = transaction.ListTrimAsync(key, -PlanSnapshot.Kept, -1);
        await transaction.ExecuteAsync();
    }

    /// <summary>The experiment's plans, oldest first; unreadable entries are skipped.</summary>
    public async Task<IReadOnlyList<PlanSnapshot>> ReadPlansAsync(string experimentId) =>
        (await Db.ListRangeAsync(StoreKeys.ExperimentPlans(experimentId)))
            .Select(v => PlanSnapshot.TryParse(v)).OfType<PlanSnapshot>().ToList();
}
