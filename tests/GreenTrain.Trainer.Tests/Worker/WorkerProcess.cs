using System.Diagnostics;
using System.Text;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// The built Trainer started as a child process with the `worker` verb, the way a machine runs it, so a
/// test can kill it with SIGKILL: no shutdown hook, no flush, no goodbye.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, string workerId)
    {
        _process = process;
        WorkerId = workerId;
    }

    public string WorkerId { get; }

    public static WorkerProcess Start(WorkerTestContext context, string workerId)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(TrainerDll());
        info.ArgumentList.Add("worker");
        foreach (var argument in context.WorkerArguments(workerId)) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("the worker process did not start");
        var worker = new WorkerProcess(process, workerId);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The Trainer's own build output (Trainer/bin/CONFIG/TFM, built before the tests by the project reference,
    /// natives patched): its deps.json names every assembly beside it, which the copy in the test folder cannot promise.
    /// </summary>
    internal static string TrainerDll()
    {
        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testFolder.Name, testFolder.Parent!.Name);
        for (var folder = testFolder; folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Trainer", "bin", configuration, framework, "GreenTrain.Trainer.dll");
            if (File.Exists(Path.Combine(folder.FullName, "GreenTrain.Aspire.sln")) && File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"The Trainer's build output (Trainer/bin/{configuration}/{framework}/GreenTrain.Trainer.dll) was not found above {testFolder}.");
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
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
            return $"[{WorkerId} output] {(text.Length > 4000 ? text[^4000..] : text)}";
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
