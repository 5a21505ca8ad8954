using GreenTrain.AppHost.Store;

using System.Diagnostics;
using System.Text;

namespace GreenTrain.Testing.Store;

/// <summary>
/// A real redis-server child process on a free loopback port, with append-only persistence in its own
/// folder. Needs the redis-server package (tests/setup.sh installs it).
/// </summary>
public sealed class RedisServerProcess : IStoreServer
{
    private readonly string _dataPath;
    private readonly int _port;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServerProcess(string dataPath, int port)
    {
        _dataPath = dataPath;
        _port = port;
    }

    public string Kind => "redis";

    public string ConnectionString => $"127.0.0.1:{_port}";

    public static async Task<RedisServerProcess> StartAsync(string dataPath)
    {
        var server = new RedisServerProcess(dataPath, EmbeddedGarnet.FreeLoopbackPort());
        await server.StartProcessAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        await StopProcessAsync();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        var executable = FindRedisServer();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--port", _port.ToString(), "--bind", "127.0.0.1", "--dir", _dataPath,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        })
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await StoreReadiness.WaitUntilAnsweringAsync(ConnectionString, TimeSpan.FromSeconds(20), () => { lock (_output) { return _output.ToString(); } });
    }

    private async Task StopProcessAsync()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            // SIGKILL, not SHUTDOWN: persistence must hold without a clean stop, as after a crash.
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    private static string FindRedisServer()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("redis-server is not installed: run tests/setup.sh (or apt-get install redis-server).");
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
    }
}
