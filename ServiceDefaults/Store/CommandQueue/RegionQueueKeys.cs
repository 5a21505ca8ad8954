using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>The keys of one region's queue, built once (and validated once) per call.</summary>
internal sealed record RegionQueueKeys(
    RedisKey Pending, RedisKey Processing, RedisKey Leases, RedisKey Holders, RedisKey Deliveries, RedisKey Dead,
    RedisChannel Wake)
{
    public static RegionQueueKeys For(string region) => new(
        StoreKeys.QueuePending(region),
        StoreKeys.QueueProcessing(region),
        StoreKeys.QueueLeases(region),
        StoreKeys.QueueHolders(region),
        StoreKeys.QueueDeliveries(region),
        StoreKeys.QueueDead(region),
        RedisChannel.Literal(StoreKeys.QueueWakeChannel(region)));
}
