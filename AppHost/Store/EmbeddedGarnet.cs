using System.Net;
using System.Net.Sockets;
using Garnet;

namespace GreenTrain.AppHost.Store;

/// <summary>
/// A Garnet server in this process, with its append-only file under <paramref name="dataPath"/> so that
/// what services wrote survives a restart. Used by the AppHost on machines without a container runtime,
/// and by the store tests, which must exercise the same server the product runs.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(GarnetServer server, int port, string dataPath)
    {
        _server = server;
        Port = port;
        DataPath = dataPath;
    }

    public int Port { get; }

    public string DataPath { get; }

    /// <param name="port">0 picks a free loopback port.</param>
    /// <param name="password">null leaves the server open (tests only); the AppHost always sets one.</param>
    public static EmbeddedGarnet Start(string dataPath, int port = 0, string? password = null)
    {
        Directory.CreateDirectory(dataPath);
        if (port == 0)
        {
            port = FreeLoopbackPort();
        }
        List<string> args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(),
            "--checkpointdir", dataPath,
            "--aof",        // every write goes to the append-only file...
            "--recover",    // ...and is replayed at the next start
            // The default native device needs libaio.so.1, which Debian 12 does not ship by default.
            "--device-type", "RandomAccess",
            "--lua",        // queue leases and checkpoint commits use EVAL (DESIGN.md store rules)
        ];
        if (password is not null)
        {
            args.AddRange(["--auth", "Password", "--password", password]);
        }
        var server = new GarnetServer([.. args]);
        try
        {
            server.Start();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return new EmbeddedGarnet(server, port, dataPath);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _server.Dispose();
}
