using System.Diagnostics;

namespace GreenTrain.Trainer.Devices;

/// <summary>
/// Finds an external LibTorch (the lib folder of a PyTorch installation) for CUDA training: the folder
/// given with --libtorch, else GREENTRAIN_LIBTORCH, else the one `python3 -c "import torch"` reports.
/// </summary>
public static class LibTorchLocator
{
    public const string EnvironmentVariable = "GREENTRAIN_LIBTORCH";

    /// <summary>The libraries loaded, in dependency order (GPU.md: verified on the accelerator machine).</summary>
    public static readonly string[] LoadOrder = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    public static string? Find(string? explicitFolder, out string how)
    {
        if (!string.IsNullOrWhiteSpace(explicitFolder))
        {
            how = "--libtorch";
            return explicitFolder;
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            how = EnvironmentVariable;
            return fromEnvironment;
        }

        how = "python3 -c \"import torch\"";
        return FromPython();
    }

    public static bool HasCudaLibTorch(string folder) => LoadOrder.All(name => File.Exists(Path.Combine(folder, name)));

    /// <summary>The CUDA runtime folders pip installs beside torch (site-packages/nvidia/*/lib).</summary>
    public static IEnumerable<string> NvidiaLibraryFolders(string libTorchFolder)
    {
        var nvidia = Path.GetFullPath(Path.Combine(libTorchFolder, "..", "..", "nvidia"));
        return Directory.Exists(nvidia)
            ? Directory.EnumerateDirectories(nvidia).Select(d => Path.Combine(d, "lib")).Where(Directory.Exists).Order(StringComparer.Ordinal)
            : [];
    }

    private static string? FromPython()
    {
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(30_000);
            return process.ExitCode == 0 && Directory.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no python3 on this machine
        }
    }
}
