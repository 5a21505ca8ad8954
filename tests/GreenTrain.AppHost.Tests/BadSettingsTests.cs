using System.Diagnostics;

namespace GreenTrain.AppHost.Tests;

/// <summary>
/// Runs the built AppHost as a user would, with one bad setting each, and checks that it stops with one
/// clear line naming the setting (exit code 2) rather than a stack trace.
/// </summary>
public sealed class BadSettingsTests
{
    [Fact]
    public async Task A_malformed_store_connection_string_is_named()
    {
        var run = await RunAppHostAsync(new() { ["ConnectionStrings__store"] = "127.0.0.1:notaport,,abortConnect=maybe" });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("ConnectionStrings:store").And.NotContain("   at ");
    }

    [Fact]
    public async Task An_unreachable_store_is_named()
    {
        var closedPort = GreenTrain.AppHost.Store.EmbeddedGarnet.FreeLoopbackPort();
        var run = await RunAppHostAsync(new() { ["ConnectionStrings__store"] = $"127.0.0.1:{closedPort}" });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("ConnectionStrings:store").And.Contain("unreachable").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_missing_dashboard_address_is_named()
    {
        // As `dotnet run --no-launch-profile` would: none of the http profile's dashboard settings.
        var run = await RunAppHostAsync(new() { ["ASPNETCORE_URLS"] = null, ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = null,
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = null, ["Store__Mode"] = "embedded",
            ["Store__DataPath"] = Path.Combine(Path.GetTempPath(), $"greentrain-apphost-{Guid.NewGuid():N}") });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("ASPNETCORE_URLS").And.NotContain("   at ");
    }

    private sealed record Run(int ExitCode, string Stderr);

    private static async Task<Run> RunAppHostAsync(Dictionary<string, string?> environment)
    {
        var appHost = typeof(AppHostStartup).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [appHost])
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
        _ = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost kept running instead of refusing the setting. stderr: {await stderr}");
        }
        return new Run(process.ExitCode, await stderr);
    }
}
