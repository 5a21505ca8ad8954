using System.Diagnostics;

namespace GreenTrain.AppHost.Store;

/// <summary>
/// Asks the container runtime's own client whether its engine answers. A docker client with no engine
/// (as on our CI machines) fails here in well under a second, and Aspire would otherwise wait forever
/// for a Redis container that never starts.
/// </summary>
public static class ContainerRuntimeProbe
{
    public static bool IsHealthy(string? configuredRuntime, TimeSpan timeout)
    {
        var runtime = string.IsNullOrWhiteSpace(configuredRuntime) ? "docker" : configuredRuntime.Trim();
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0 && process.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such client on PATH
        }
    }
}
