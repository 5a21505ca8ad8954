using System.Diagnostics;
using System.Text;

namespace GreenTrain.EndToEnd.Tests.Failover;

/// <summary>
/// A service of ours (or a store tool) as its own child process, as a machine runs it, so a test can SIGKILL it: no
/// shutdown hook, no lease given up, no goodbye. Its output is kept for failure messages and for line watchers.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Action<string>? _onLine;

    private ChildProcess(string name, Process process, Action<string>? onLine)
    {
        Name = name;
        _process = process;
        _onLine = onLine;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="executable"/> (a built .dll runs under dotnet) with its arguments and environment.</summary>
    public static ChildProcess Start(string name, string executable, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null)
    {
        var dll = executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dll)
        {
            info.ArgumentList.Add(executable);
            info.WorkingDirectory = Path.GetDirectoryName(executable)!;
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        var child = new ChildProcess(name, process, onLine);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The newest build of one of our projects (any configuration), from its project folder's bin.</summary>
    public static string BuiltDll(string projectPath, string assemblyName)
    {
        var bin = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin");
        return Directory.EnumerateFiles(bin, assemblyName, SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "ref" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault() ?? throw new FileNotFoundException($"{assemblyName} is not built under {bin}");
    }

    /// <summary>SIGKILL, then wait until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output()
    {
        lock (_output)
        {
            var text = _output.ToString();
            return $"[{Name} output] {(text.Length > 6000 ? text[^6000..] : text)}";
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        _onLine?.Invoke(line);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
