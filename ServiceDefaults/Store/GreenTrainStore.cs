using System.Diagnostics;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store;

/// <summary>The store connection shared by all services, with the questions every service asks of it.</summary>
public sealed class GreenTrainStore(IConnectionMultiplexer connection)
{
    private StoreKind? _kind;

    public IConnectionMultiplexer Connection { get; } = connection;

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>Redis and Garnet both answer INFO server; Garnet names itself with a garnet_version field.</summary>
    public async Task<StoreKind> GetKindAsync()
    {
        if (_kind is { } known)
        {
            return known;
        }
        // The client counts INFO as an admin command; a short-lived admin connection asks it once, so the
        // shared connection never gets admin rights (FLUSHALL and the like).
        var options = ConfigurationOptions.Parse(Connection.Configuration);
        options.AllowAdmin = true;
        await using var probe = await ConnectionMultiplexer.ConnectAsync(options);
        var info = await probe.GetServer(probe.GetEndPoints()[0]).InfoRawAsync("server") ?? "";
        _kind = ParseKind(info);
        return _kind.Value;
    }

    public static StoreKind ParseKind(string infoServerReply) =>
        infoServerReply.Contains("garnet_version", StringComparison.OrdinalIgnoreCase) ? StoreKind.Garnet
        : infoServerReply.Contains("redis_version", StringComparison.OrdinalIgnoreCase) ? StoreKind.Redis
        : StoreKind.Unknown;

    /// <summary>
    /// Writes a fresh value under the service's probe key and reads it back: the cheapest proof that the
    /// store both accepts writes and serves reads, which a PING alone does not show.
    /// </summary>
    public async Task<TimeSpan> RoundTripAsync(string serviceName)
    {
        var key = StoreKeys.HealthProbe(serviceName);
        var value = Guid.NewGuid().ToString("N");
        var watch = Stopwatch.StartNew();
        await Database.StringSetAsync(key, value, TimeSpan.FromMinutes(5));
        var read = await Database.StringGetAsync(key);
        watch.Stop();
        if (read != value)
        {
            throw new InvalidOperationException($"The store returned '{read}' for {key}, expected the value just written.");
        }
        return watch.Elapsed;
    }
}
