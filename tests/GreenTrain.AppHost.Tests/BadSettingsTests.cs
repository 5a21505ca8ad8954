using GreenTrain.AppHost.Tests.Support;

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

    private static Task<AppHostProcess.Run> RunAppHostAsync(Dictionary<string, string?> environment) =>
        AppHostProcess.RunAsync([], environment, TimeSpan.FromMinutes(2));
}
