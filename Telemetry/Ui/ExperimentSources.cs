using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Ui;

/// <summary>Everything the store says about one experiment that the UI's pages start from.</summary>
public sealed record ExperimentSources(string Id, SchedulerRecord? Record, ExperimentProgress? Progress);

/// <summary>
/// Finds the experiments the store knows: those the Scheduler holds a record of, those a worker reported progress
/// for, and those with energy windows (a run trained without the Scheduler), so every run shows up once.
/// </summary>
public sealed class ExperimentDirectory(GreenTrainStore store)
{
    /// <summary>How many experiments of each index the list reads at most (newest first).</summary>
    public const int MaxListed = 500;

    public async Task<IReadOnlyList<ExperimentSources>> ListAsync()
    {
        var db = store.Database;
        var records = (await db.HashGetAllAsync(StoreKeys.Experiments))
            .Select(e => SchedulerRecord.TryParse(e.Value)).OfType<SchedulerRecord>()
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var ids = new List<string>(records.Keys);
        foreach (var index in new[] { StoreKeys.ProgressIndex, StoreKeys.EnergyExperiments })
        {
            ids.AddRange((await db.SortedSetRangeByRankAsync(index, 0, MaxListed - 1, Order.Descending)).Select(v => (string)v!));
        }
        var progress = new ExperimentStore(store);
        var list = new List<ExperimentSources>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            list.Add(new ExperimentSources(id, records.GetValueOrDefault(id), await progress.ReadProgressAsync(id)));
        }
        return list;
    }

    /// <summary>One experiment's sources; null when the store knows nothing of it.</summary>
    public async Task<ExperimentSources?> GetAsync(string id)
    {
        var record = SchedulerRecord.TryParse(await store.Database.HashGetAsync(StoreKeys.Experiments, id));
        var progress = await new ExperimentStore(store).ReadProgressAsync(id);
        var hasEnergy = await store.Database.KeyExistsAsync(StoreKeys.EnergyWindows(id));
        return record is null && progress is null && !hasEnergy ? null : new ExperimentSources(id, record, progress);
    }
}
