using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>Lease times are kept on the store's clock; these convert between its milliseconds and DateTimeOffset.</summary>
public static class StoreTime
{
    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The store's current time (TIME), the clock every lease expiry is measured against.</summary>
    public static async Task<DateTimeOffset> NowAsync(IDatabaseAsync database)
    {
        var reply = (RedisResult[])(await database.ExecuteAsync("TIME"))!;
        var seconds = (long)reply[0];
        var micros = (long)reply[1];
        return DateTimeOffset.FromUnixTimeMilliseconds(seconds * 1000 + micros / 1000);
    }
}
