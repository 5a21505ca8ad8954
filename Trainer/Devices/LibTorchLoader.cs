using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Devices;

/// <summary>
/// Loads an external LibTorch before TorchSharp's first call, as GPU.md verified: the folder and the
/// NVIDIA runtime folders on LD_LIBRARY_PATH (which the loader reads only at process start, so the
/// process starts itself again once with it set), then libc10, libtorch_cpu, libc10_cuda,
/// libtorch_cuda and libtorch by full path, then TorchSharp's own libLibTorchSharp.so.
/// </summary>
public static class LibTorchLoader
{
    private const string RelaunchMarker = "GREENTRAIN_LIBTORCH_RELAUNCHED";

    /// <summary>
    /// When LD_LIBRARY_PATH lacks the LibTorch folders, runs this same command again with them set and
    /// returns its exit code; null when the current process already has them and should go on.
    /// </summary>
    public static int? RelaunchWithLibraryPath(string folder, string[] arguments)
    {
        var wanted = new[] { folder }.Concat(LibTorchLocator.NvidiaLibraryFolders(folder)).ToList();
        var current = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
        var present = current.Split(':', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (wanted.All(present.Contains) || Environment.GetEnvironmentVariable(RelaunchMarker) == "1")
        {
            return null;
        }

        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable is running.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]); // the application's dll
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LD_LIBRARY_PATH"] = string.Join(':', wanted.Concat(present.Where(p => !wanted.Contains(p))));
        start.Environment[RelaunchMarker] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host} again with LD_LIBRARY_PATH set.");
        child.WaitForExit();
        return child.ExitCode;
    }

    public static void Load(string folder)
    {
        foreach (var library in LibTorchLocator.LoadOrder)
        {
            NativeLibrary.Load(Path.Combine(folder, library));
        }

        var bridge = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(dir => Path.Combine(dir, "libLibTorchSharp.so"))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"libLibTorchSharp.so is not in {AppContext.BaseDirectory}; the TorchSharp package did not travel with the application.");
        NativeLibrary.Load(bridge);
    }
}
