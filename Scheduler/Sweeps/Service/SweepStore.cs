using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>
/// The sweeps in the store: one hash, a field per sweep id holding its record as JSON. The API and the runner both
/// change a record (a cancel, a finished segment); <see cref="UpdateAsync"/> makes each change against the value it
/// read (WATCH on the field), so neither overwrites the other.
/// </summary>
public sealed class SweepStore(GreenTrainStore store)
{
    private static readonly JsonSerializerOptions Json = ExperimentStore.Json;

    public async Task AddAsync(SweepRecord record)
    {
        await store.Database.HashSetAsync(StoreKeys.Sweeps, record.Id, JsonSerializer.Serialize(record, Json), When.NotExists);
        await PublishAsync(record.Id);
    }

    public async Task<SweepRecord?> GetAsync(string id)
    {
        var json = (string?)await store.Database.HashGetAsync(StoreKeys.Sweeps, id);
        return json is null ? null : JsonSerializer.Deserialize<SweepRecord>(json, Json);
    }

    public async Task<IReadOnlyList<SweepRecord>> ListAsync()
    {
        var entries = await store.Database.HashGetAllAsync(StoreKeys.Sweeps);
        return [.. entries.Select(e => JsonSerializer.Deserialize<SweepRecord>((string)e.Value!, Json)!)
            .OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>Wakes whoever watches the sweep (greentrain:sweep-updates); the record stays the truth.</summary>
    private Task PublishAsync(string id) => store.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StoreKeys.SweepUpdatesChannel), id);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored record and writes the result only if the record is still the one it
    /// read, else reads again and retries. <paramref name="change"/> returns null to leave the record as it is.
    /// Returns the record as stored afterwards, null when there is no such sweep.
    /// </summary>
    public async Task<SweepRecord?> UpdateAsync(string id, Func<SweepRecord, SweepRecord?> change)
    {
        while (true)
        {
            var json = (string?)await store.Database.HashGetAsync(StoreKeys.Sweeps, id);
            if (json is null) return null;
            var changed = change(JsonSerializer.Deserialize<SweepRecord>(json, Json)!);
            if (changed is null) return JsonSerializer.Deserialize<SweepRecord>(json, Json);
            var transaction = store.Database.CreateTransaction();
            transaction.AddCondition(Condition.HashEqual(StoreKeys.Sweeps, id, json));
            _ = transaction.HashSetAsync(StoreKeys.Sweeps, id, JsonSerializer.Serialize(changed, Json));
            if (await transaction.ExecuteAsync())
            {
                await PublishAsync(id);
                return changed;
            }
        }
    }
}
