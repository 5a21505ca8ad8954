using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GreenTrain.AppHost.Tests.Deployment;

/// <summary>
/// infra/ (Bicep) and azure.yaml deploy what the AppHost's manifest declares: every service, every setting it gives a
/// service (with the same literal value), every secret as a secure parameter; and the Bicep compiles without warnings.
/// </summary>
public sealed partial class InfraTests(DefaultManifestFixture fixture) : IClassFixture<DefaultManifestFixture>
{
    /// <summary>Settings Aspire adds for its own wiring (ports, OTLP, the Redis resource's parts); the Bicep sets its own.</summary>
    private static readonly string[] AspireWiring = ["OTEL_", "ASPNETCORE_", "HTTP_PORTS", "STORE_"];

    private static readonly string Root = FindRoot();

    private static readonly string Bicep = string.Join('\n',
        Directory.GetFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));

    private PublishedManifest Manifest => fixture.Manifest;

    [Fact]
    public void Every_service_in_the_manifest_is_an_app_in_the_bicep_and_a_service_in_azure_yaml()
    {
        var azureYaml = File.ReadAllText(Path.Combine(Root, "azure.yaml"));
        var gridRegions = GridRegionsDefault().Match(File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"))).Groups[1].Value;
        foreach (var service in Manifest.Projects)
        {
            azureYaml.Should().MatchRegex($"(?m)^  {service}:$", "azd deploys each service into the app tagged with its name");
            if (service.StartsWith("trainer-", StringComparison.Ordinal))
            {
                gridRegions.Should().Contain($"'{service["trainer-".Length..].ToUpperInvariant()}'", $"{service} is one of main.bicep's gridRegions");
            }
            else
            {
                Bicep.Should().Contain($"name: '{service}'");
            }
        }
        Bicep.Should().Contain("name: 'trainer-${toLower(region)}'");
    }

    [Fact]
    public void Every_setting_the_manifest_gives_a_service_is_set_by_the_bicep_with_the_same_value()
    {
        foreach (var service in Manifest.Projects)
        {
            foreach (var (key, value) in Manifest.Env(service).Where(e => !AspireWiring.Any(e.Key.StartsWith)))
            {
                var bicepKey = IndexedKey().Replace(key, "__${i}");
                Bicep.Should().MatchRegex($"(name|setting): '{Regex.Escape(bicepKey)}'", $"{service} gets {key} in the manifest");
                var literal = Regex.Match(Bicep, $"name: '{Regex.Escape(bicepKey)}', value: '([^']*)'");
                if (literal.Success && !value.StartsWith('{'))
                {
                    literal.Groups[1].Value.Should().Be(value, $"{service} {key} must not drift between the manifest and the Bicep");
                }
            }
        }
    }

    [Fact]
    public void Every_secret_parameter_is_a_secure_bicep_parameter_and_the_store_key_comes_from_the_store()
    {
        var secure = SecureParameter().Matches(Bicep).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();
        foreach (var secret in Manifest.SecretParameters.Where(s => s != "store-password"))
        {
            secure.Should().Contain(secret.Replace("-", "").ToLowerInvariant(), $"{secret} must be a @secure() param, never a value");
        }
        // Managed Redis replaces the container: its access key is read from the resource, never passed as an output.
        Bicep.Should().Contain("listKeys().primaryKey").And.Contain("ssl=true");
        Bicep.Should().NotMatchRegex(@"output \w+ string = .*(listKeys|[Pp]assword|[Kk]ey)\b");
    }

    [Fact]
    public void The_scheduler_runs_as_two_replicas_by_default_now_that_one_leads()
    {
        var main = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        var replicas = Regex.Match(main, @"param schedulerReplicas int = (\d+)");

        replicas.Success.Should().BeTrue("main.bicep says how many Scheduler replicas run");
        int.Parse(replicas.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(2,
            "a restart or a lost node must leave a follower to take the lead (Scheduler/Leadership)");
        Regex.Match(main, @"module scheduler [^\n]*\n(?:(?!\nmodule ).)*minReplicas: schedulerReplicas", RegexOptions.Singleline).Success
            .Should().BeTrue("the scheduler app is given that many replicas");
    }

    [Fact]
    public async Task The_bicep_compiles_without_warnings()
    {
        var bicep = FindBicep();
        var info = new ProcessStartInfo(bicep, ["build", Path.Combine(Root, "infra", "main.bicep"), "--stdout"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, stderr);
        stderr.Should().BeEmpty("linter warnings (a secret in an output, a secure default) count as failures");
        (await stdout).Should().Contain("\"Microsoft.App/managedEnvironments\"");
    }

    /// <summary>The Bicep CLI the test project downloads (Azure.Bicep.CommandLine.linux-x64), else one on PATH.</summary>
    private static string FindBicep()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var downloaded = Path.Combine(packages, "azure.bicep.commandline.linux-x64");
        var candidates = (Directory.Exists(downloaded) ? Directory.GetFiles(downloaded, "bicep", SearchOption.AllDirectories) : [])
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, "bicep")))
            .Where(File.Exists);
        var found = candidates.FirstOrDefault()
            ?? throw new FileNotFoundException("No Bicep CLI: restore tests/GreenTrain.AppHost.Tests (it downloads Azure.Bicep.CommandLine.linux-x64).");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts the CLI without its execute bit.
            File.SetUnixFileMode(found, File.GetUnixFileMode(found) | UnixFileMode.UserExecute);
        }
        return found;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GreenTrain.Aspire.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException("GreenTrain.Aspire.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"param gridRegions array = \[([^\]]*)\]")]
    private static partial Regex GridRegionsDefault();

    [GeneratedRegex(@"__\d+$")]
    private static partial Regex IndexedKey();

    [GeneratedRegex(@"@secure\(\)\s*(?:@\w+\([^\n]*\)\s*)*param (\w+)")]
    private static partial Regex SecureParameter();
}
