using GreenTrain.AppHost.Store;

namespace GreenTrain.Testing.Store;

/// <summary>The AppHost's embedded Garnet, started in the test process on a free port with its own data folder.</summary>
public sealed class GarnetServerInProcess : IStoreServer
{
    private readonly string _dataPath;
    private readonly int _port;
    private EmbeddedGarnet? _server;

    private GarnetServerInProcess(string dataPath, int port)
    {
        _dataPath = dataPath;
        _port = port;
    }

    public string Kind => "garnet";

    public string ConnectionString => $"127.0.0.1:{_port}";

    public static async Task<GarnetServerInProcess> StartAsync(string dataPath)
    {
        var server = new GarnetServerInProcess(dataPath, EmbeddedGarnet.FreeLoopbackPort());
        await server.StartServerAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        _server?.Dispose();
        _server = null;
        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        _server = EmbeddedGarnet.Start(_dataPath, _port);
        await StoreReadiness.WaitUntilAnsweringAsync(ConnectionString, TimeSpan.FromSeconds(20));
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
