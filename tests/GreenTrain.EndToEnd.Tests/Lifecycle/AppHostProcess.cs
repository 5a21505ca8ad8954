using System.Collections.Concurrent;
using System.Diagnostics;

namespace GreenTrain.EndToEnd.Tests.Lifecycle;

/// <summary>
/// The built AppHost run as `dotnet run` runs it (its own process, the http profile's settings), with a known store
/// port and password so the test can reach the embedded store, and stopped with SIGINT as Ctrl-C in a terminal does.
/// </summary>
internal sealed class AppHostProcess : IDisposable
{
    private readonly Process _process;
    // Lines as they arrive (not ReadToEnd), so a test that gives up on a hung AppHost can still show what it printed.
    private readonly ConcurrentQueue<string> _lines = new();

    private AppHostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    public static AppHostProcess Start(string dataPath, int storePort, string storePassword)
    {
        var appHost = typeof(GreenTrain.AppHost.AppHostStartup).Assembly.Location;
        // Through env --default-signal, so SIGINT reaches the AppHost as it does a foreground process in a terminal. A
        // process inherits an ignored SIGINT across exec, and a test run started in the background of a script (`cmd &`,
        // nohup) has it ignored: .NET then installs no Ctrl-C handler (POSIX's rule for background jobs), the AppHost
        // sits through every SIGINT, and the test failed for a reason no user at a terminal meets.
        var info = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", appHost])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://127.0.0.1:0";
        info.Environment["Store__Mode"] = "embedded";
        info.Environment["Store__DataPath"] = dataPath;
        info.Environment["Store__Port"] = storePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Parameters__store-password"] = storePassword;
        info.Environment["Demo__Enabled"] = "false";
        return new AppHostProcess(Process.Start(info)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Whether the AppHost ignores SIGINT (its SigIgn mask in /proc): if it did, Ctrl-C could not be tested.</summary>
    public bool IgnoresSigint()
    {
        var ignored = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return (Convert.ToUInt64(ignored, 16) & (1UL << (2 - 1))) != 0; // bit n-1 stands for signal n; SIGINT is 2
    }

    /// <summary>SIGINT, as Ctrl-C; then waits for the AppHost to exit on its own, and on timeout fails with what it printed.</summary>
    public async Task InterruptAndWaitAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The AppHost did not exit within {timeout} of SIGINT. Its process tree:\n{await ProcessTreeAsync()}\nIts output so far:\n{Output}");
        }
    }

    public string Output => string.Join('\n', _lines);

    /// <summary>
    /// The AppHost, its descendants and every GreenTrain or DCP process as ps sees them (state, age, command), to tell a
    /// hung service from a hung host: DCP starts detached, so the services it runs are not the AppHost's descendants.
    /// </summary>
    private async Task<string> ProcessTreeAsync()
    {
        var info = new ProcessStartInfo("ps", ["-eo", "pid=,ppid=,stat=,etime=,args="]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var ps = Process.Start(info)!;
        var lines = (await ps.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await ps.WaitForExitAsync();
        var rows = lines.Select(l => l.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length == 3)
            .Select(c => (Pid: int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture), Parent: int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), Columns: c[2])).ToList();
        var tree = new HashSet<int> { _process.Id };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var row in rows.Where(r => !tree.Contains(r.Pid) && tree.Contains(r.Parent))) grew |= tree.Add(row.Pid);
        }
        return string.Join('\n', rows.Where(r => tree.Contains(r.Pid) || r.Columns.Contains("GreenTrain", StringComparison.Ordinal) || r.Columns.Contains("dcp", StringComparison.Ordinal)).Select(r => $"{r.Pid} {r.Parent} {r.Columns}"));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
