using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Energy.Hosting;

/// <summary>
/// Publishes a worker run's energy to the store for Telemetry: the run info once, each window as it closes
/// (RPUSH, so the list is in time order), and the experiment in the index set that Telemetry scans.
/// A pub/sub message only wakes Telemetry early; the list is the truth.
/// </summary>
public sealed class StoreEnergyWindowPublisher(GreenTrainStore store)
{
    public async Task PublishRunInfoAsync(EnergyRunInfo info)
    {
        var db = store.Database;
        await db.StringSetAsync(StoreKeys.EnergyRunInfo(info.ExperimentId), JsonSerializer.Serialize(info, EnergyFiles.JsonOptions));
        await db.SortedSetAddAsync(StoreKeys.EnergyExperiments, info.ExperimentId, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    public async Task PublishAsync(EnergyWindow window)
    {
        var db = store.Database;
        var transaction = db.CreateTransaction();
        _ = transaction.ListRightPushAsync(StoreKeys.EnergyWindows(window.ExperimentId), JsonSerializer.Serialize(window, EnergyFiles.JsonOptions));
        _ = transaction.SortedSetAddAsync(StoreKeys.EnergyExperiments, window.ExperimentId, window.End.ToUnixTimeSeconds());
        await transaction.ExecuteAsync();
        await store.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(StoreKeys.EnergyUpdatesChannel), window.ExperimentId);
    }
}
