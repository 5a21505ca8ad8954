using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Garnet;
using Garnet.server;

namespace GreenTrain.AppHost.Store;

/// <summary>
/// A Garnet server in this process, with its append-only file under <paramref name="dataPath"/> so that
/// what services wrote survives a restart. Used by the AppHost on machines without a container runtime,
/// and by the store tests, which must exercise the same server the product runs.
/// The folder is its owner's only (<see cref="OwnerOnlyFolder"/>), and the append-only file, which records every
/// overwrite of every checkpoint chunk, is compacted by a checkpoint once it passes <c>aofCompactBytes</c>.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    /// <summary>
    /// The append-only file's size past which a checkpoint rewrites the live data and truncates it. Garnet keeps one
    /// checkpoint (the live data) beside the file, so the folder stays near the live data plus this much.
    /// </summary>
    public const long DefaultAofCompactBytes = 64L << 20;

    private readonly GarnetServer _server;
    private readonly OwnerOnlyFolder _folder;
    private readonly long? _aofCompactBytes;
    private readonly SemaphoreSlim _compacting = new(1, 1);

    private EmbeddedGarnet(GarnetServer server, OwnerOnlyFolder folder, int port, string dataPath, long? aofCompactBytes)
    {
        _server = server;
        _folder = folder;
        _aofCompactBytes = aofCompactBytes;
        Port = port;
        DataPath = dataPath;
    }

    public int Port { get; }

    public string DataPath { get; }

    /// <summary>Bytes in the append-only file not yet covered by a checkpoint.</summary>
    public long AofBytes => Wrapper.AofSize();

    /// <param name="port">0 picks a free loopback port.</param>
    /// <param name="password">null leaves the server open (tests only); the AppHost always sets one.</param>
    /// <param name="aofCompactBytes">Compact the append-only file past this size (<see cref="CompactIfLargeAsync"/>); null never does.</param>
    public static EmbeddedGarnet Start(string dataPath, int port = 0, string? password = null, long? aofCompactBytes = DefaultAofCompactBytes)
    {
        var folder = OwnerOnlyFolder.Secure(dataPath);
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
            // Bounded files. The append-only file is truncated at a checkpoint, by whole segments: small segments let it go.
            "--aof-page-size", "16m", "--aof-segment-size", "32m",
            // Overwritten and deleted values stay in the log (and in every checkpoint's snapshot of it) until compaction
            // copies the live records forward. Compaction only reaches the read-only part of the log, so the in-memory
            // log is kept small enough for old records to become read-only; pages hold a 4 MB checkpoint chunk.
            "--memory", "64m", "--page", "8m", "--segment", "16m",
            // The hash index is written whole at every checkpoint; 8 MB holds about a million keys and grows when needed.
            "--index", "8m",
            "--compaction-type", "Lookup", "--compaction-freq", "5", "--compaction-max-segments", "2", "--compaction-force-delete",
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
            folder.Dispose();
            throw;
        }
        return new EmbeddedGarnet(server, folder, port, dataPath, aofCompactBytes);
    }

    /// <summary>
    /// Takes a checkpoint: the live data is written once and the append-only file before it is truncated (what
    /// SAVE does, which Garnet refuses to clients outside admin mode). True when a checkpoint was taken.
    /// </summary>
    public async Task<bool> CompactAsync(CancellationToken cancellationToken = default)
    {
        await _compacting.WaitAsync(cancellationToken);
        try
        {
            var status = await Wrapper.TakeCheckpointAsync(background: false, token: cancellationToken);
            _folder.SecureEntries(); // the checkpoint's files are new
            return status == CheckpointStatus.Success;
        }
        finally
        {
            _compacting.Release();
        }
    }

    /// <summary>Compacts when the append-only file has grown past the limit given at start; true when it did.</summary>
    public async Task<bool> CompactIfLargeAsync(CancellationToken cancellationToken = default) =>
        _aofCompactBytes is { } limit && AofBytes > limit && await CompactAsync(cancellationToken);

    /// <summary>
    /// The server's store: its checkpoint call is public, but GarnetServer keeps the instance in a protected field, and
    /// the SAVE command that would reach it is refused outside admin mode. Pinned to Microsoft.Garnet 2.2.8; a version
    /// that renames the field fails EmbeddedGarnetFilesTests, not silently.
    /// </summary>
    private StoreWrapper Wrapper => (StoreWrapper)(typeof(GarnetServer).GetField("storeWrapper", BindingFlags.Instance | BindingFlags.NonPublic)
        ?.GetValue(_server) ?? throw new InvalidOperationException("This Garnet version keeps no 'storeWrapper' field; the embedded store cannot compact."));

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
        _compacting.Dispose();
    }
}
