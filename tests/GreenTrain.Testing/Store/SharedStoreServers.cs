using StackExchange.Redis;
using Xunit;

namespace GreenTrain.Testing.Store;

/// <summary>
/// One real redis-server and one embedded Garnet for a whole test class, so each test pays for a connection
/// rather than a server start. Tests stay independent by using their own region or experiment ids.
/// </summary>
public sealed class SharedStoreServers : IAsyncLifetime
{
    private readonly Dictionary<string, (IStoreServer Server, ConnectionMultiplexer Connection)> _servers = [];

    public async Task InitializeAsync()
    {
        foreach (var kind in new[] { "redis", "garnet" })
        {
            var server = await StoreServers.StartAsync(kind);
            var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            _servers[kind] = (server, connection);
        }
    }

    public IConnectionMultiplexer Connection(string kind) => _servers[kind].Connection;

    /// <summary>The server's connection string, for a process or host of the test's own (a worker) to connect with.</summary>
    public string ConnectionString(string kind) => _servers[kind].Server.ConnectionString;

    public async Task DisposeAsync()
    {
        foreach (var (server, connection) in _servers.Values)
        {
            await connection.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    /// <summary>A fresh id for a region or experiment, so tests sharing a server never see each other's keys.</summary>
    public static string UniqueId(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)];
}
