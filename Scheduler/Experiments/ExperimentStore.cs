using System.Text.Json;
using System.Text.Json.Serialization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Scheduler.Leadership;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Leadership;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// The experiments in the store: one hash, a field per experiment id holding its record as JSON. The hash
/// is the truth the API answers from and the planner rebuilds from after a restart.
/// </summary>
public sealed class ExperimentStore(GreenTrainStore store)
{
    internal static readonly JsonSerializerOptions Json = CreateOptions();

    /// <summary>
    /// Saves the record. With <paramref name="leader"/> (planning and dispatch), only while that term leads, checked in
    /// the same step as the write: a lapsed leader's pass cannot overwrite what its successor decided
    /// (<see cref="LeadershipLostException"/>).
    /// </summary>
    public async Task SaveAsync(ExperimentRecord record, LeaseTerm? leader = null)
    {
        var json = JsonSerializer.Serialize(record, Json);
        if (leader is null)
        {
            await store.Database.HashSetAsync(StoreKeys.Experiments, record.Id, json);
            return;
        }
        if ((long)await store.Database.ScriptEvaluateAsync(SaveAsLeader, [StoreKeys.Experiments, leader.Key], [record.Id, leader.Value, json]) != 1)
        {
            throw new LeadershipLostException(leader, $"saving experiment {record.Id}");
        }
    }

    /// <summary>KEYS: experiments, leader lease; ARGV: id, leader term, record. Returns 1 when saved, 0 when the term no longer leads.</summary>
    private static readonly string SaveAsLeader = $"""
        if not ({LeaseTerm.Matches(2, 2)}) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        return 1
        """;

    /// <summary>Saves the record unless one with its id exists; true when it was saved (an idempotent submit).</summary>
    public async Task<bool> TryAddAsync(ExperimentRecord record) =>
        await store.Database.HashSetAsync(StoreKeys.Experiments, record.Id, JsonSerializer.Serialize(record, Json), When.NotExists);

    public async Task<ExperimentRecord?> GetAsync(string id)
    {
        var json = (string?)await store.Database.HashGetAsync(StoreKeys.Experiments, id);
        return json is null ? null : JsonSerializer.Deserialize<ExperimentRecord>(json, Json);
    }

    public async Task<IReadOnlyList<ExperimentRecord>> ListAsync()
    {
        var entries = await store.Database.HashGetAllAsync(StoreKeys.Experiments);
        return entries.Select(e => JsonSerializer.Deserialize<ExperimentRecord>((string)e.Value!, Json)!)
            .OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads, changes and writes one record; null when there is no such experiment.</summary>
    public async Task<ExperimentRecord?> UpdateAsync(string id, Func<ExperimentRecord, ExperimentRecord> change, LeaseTerm? leader = null)
    {
        var record = await GetAsync(id);
        if (record is null)
        {
            return null;
        }
        var changed = change(record);
        await SaveAsync(changed, leader);
        return changed;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(ExperimentSpecJson.Options) { WriteIndented = false };
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }
        return options;
    }
}
