using System.Diagnostics;

namespace GreenTrain.AppHost.Tests.Support;

/// <summary>Runs the built AppHost as a user would (`dotnet GreenTrain.AppHost.dll ...`) and waits for it to exit.</summary>
public static class AppHostProcess
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <param name="environment">Variables to set; a null value removes one the launch-profile defaults would set.</param>
    public static async Task<Run> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var appHost = typeof(AppHostStartup).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [appHost, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        // The settings a launch profile would give, so each test removes or breaks exactly one.
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost was still running after {timeout}. stderr: {await stderr}");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
