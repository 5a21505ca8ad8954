using GreenTrain.Scheduler.Sweeps.Service;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Tests.Sweeps;

/// <summary>
/// Awaits a sweep's record reaching a state: reads it again each time the Scheduler publishes that it changed
/// (greentrain:sweep-updates), with a timeout that only turns a hang into a failure.
/// </summary>
internal sealed class SweepWatch : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ConnectionMultiplexer _connection;
    private readonly SemaphoreSlim _changed = new(0);
    private readonly SweepStore _sweeps;

    private SweepWatch(ConnectionMultiplexer connection, SweepStore sweeps)
    {
        _connection = connection;
        _sweeps = sweeps;
    }

    public static async Task<SweepWatch> StartAsync(IStoreServer store, SweepStore sweeps)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var watch = new SweepWatch(connection, sweeps);
        await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(StoreKeys.SweepUpdatesChannel), (_, _) => watch._changed.Release());
        return watch;
    }

    public async Task<SweepRecord> UntilAsync(string sweepId, Func<SweepRecord, bool> condition, string what)
    {
        while (true)
        {
            if (await _sweeps.GetAsync(sweepId) is { } record && condition(record)) return record;
            if (!await _changed.WaitAsync(Patience))
            {
                throw new TimeoutException($"sweep {sweepId} did not reach '{what}' within {Patience.TotalSeconds} s: {await _sweeps.GetAsync(sweepId)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _changed.Dispose();
    }
}
