using System.Text.RegularExpressions;

namespace GreenTrain.AppHost.Tests.Deployment;

/// <summary>
/// What azd deploys is what the manifest says: the deployment's grid (live provider, real cadence, GPU pause costs),
/// never the local loop's (trace replay, speed-up, demo, CPU-sized costs), and secrets only as parameters.
/// </summary>
public sealed partial class ManifestTests(DefaultManifestFixture fixture) : IClassFixture<DefaultManifestFixture>
{
    private static readonly string[] Services = ["scheduler", "telemetry", "trainer-de", "trainer-fr"];

    private PublishedManifest Manifest => fixture.Manifest;

    [Fact]
    public void The_store_and_every_service_are_declared_and_each_service_reaches_the_store()
    {
        Manifest.Type("store").Should().StartWith("container.");
        Manifest.Resources["store"]!["image"]!.GetValue<string>().Should().Contain("redis");
        // The append-only file must reach redis-server itself, not the shell that starts it.
        Manifest.Resources["store"]!["args"]!.AsArray().Select(a => a!.GetValue<string>())
            .Should().ContainSingle(a => a.StartsWith("redis-server") && a.Contains("--appendonly yes"));
        Manifest.Projects.Should().BeEquivalentTo(Services);
        foreach (var service in Services)
        {
            Manifest.Env(service).Should().ContainKey("ConnectionStrings__store", service);
        }
        // The store's password is a generated secret, part of the connection string every service gets.
        Manifest.SecretParameters.Should().Contain("store-password");
        Manifest.Resources["store"]!["connectionString"]!.GetValue<string>().Should().Contain("{store-password.value}");
    }

    [Fact]
    public void The_scheduler_plans_on_the_live_grid_with_gpu_sized_pause_costs_and_no_demo()
    {
        var env = Manifest.Env("scheduler");

        env["Carbon__Provider"].Should().Be("electricitymaps");
        env["Carbon__RefreshSeconds"].Should().Be("900");
        env["Carbon__Regions__0"].Should().Be("DE");
        env["Carbon__Regions__1"].Should().Be("FR");
        env["Demo__Enabled"].Should().Be("false");
        env["Scheduler__CheckpointSeconds"].Should().Be("30");
        double.Parse(env["Scheduler__CheckpointKWh"], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0.001,
            "the local loop's CPU-sized 0.00001 kWh would make every pause look free");
        env["Scheduler__ApiKey"].Should().Be("{scheduler-api-key.value}");
        env["Carbon__ElectricityMapsToken"].Should().Be("{electricitymaps-token.value}");
    }

    [Fact]
    public void No_local_loop_setting_reaches_the_manifest()
    {
        foreach (var service in Services)
        {
            var env = Manifest.Env(service);
            env.Keys.Should().NotContain(k => k.Contains("Replay") || k.Contains("TraceFiles") || k == "Worker__CpuThreads", service);
            env.Values.Should().NotContain("trace", service);
        }
    }

    [Fact]
    public void Each_region_has_a_trainer_on_cuda()
    {
        Manifest.Env("trainer-de")["Worker__Region"].Should().Be("DE");
        Manifest.Env("trainer-fr")["Worker__Region"].Should().Be("FR");
        Manifest.Env("trainer-de")["Worker__Device"].Should().Be("cuda");
    }

    [Fact]
    public void The_scheduler_and_telemetry_have_external_ingress_and_the_trainers_none()
    {
        External("scheduler").Should().BeTrue();
        External("telemetry").Should().BeTrue();
        External("trainer-de").Should().BeFalse();
    }

    [Fact]
    public void Every_secret_is_a_parameter_with_no_value_in_the_manifest()
    {
        Manifest.SecretParameters.Should().Contain(["scheduler-api-key", "electricitymaps-token", "store-password"]);
        foreach (var parameter in Manifest.SecretParameters)
        {
            var input = Manifest.Resources[parameter]!["inputs"]!["value"]!;
            input["value"].Should().BeNull($"{parameter} must be asked for or generated at deploy time, not written down");
        }
        foreach (var service in Services)
        {
            foreach (var (key, value) in Manifest.Env(service).Where(e => SecretName().IsMatch(e.Key)))
            {
                ParameterReference().Match(value).Groups[1].Value.Should().BeOneOf(Manifest.SecretParameters, $"{service} {key}");
            }
        }
        Manifest.Text.Should().NotContain(DefaultManifestFixture.KnownToken);
    }

    [Fact]
    public async Task A_users_azure_store_is_a_secret_connection_string_and_replaces_the_container()
    {
        const string password = "known-pass-93c2";
        var (run, manifest) = await PublishedManifest.PublishAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__store"] = $"greentrain.redis.cache.windows.net:6380,password={password},ssl=true",
            ["Parameters__electricitymaps-token"] = "t",
        });

        manifest.Should().NotBeNull(run.Stderr);
        manifest!.Type("store").Should().Be("parameter.v0");
        manifest.SecretParameters.Should().Contain("store");
        manifest.Text.Should().NotContain(password).And.NotContain("redis.cache.windows.net");
    }

    [Fact]
    public async Task An_azure_store_without_tls_is_refused_naming_the_setting_and_not_the_password()
    {
        var (run, _) = await PublishedManifest.PublishAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__store"] = "greentrain.redis.cache.windows.net:6379,password=known-pass-93c2",
        });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("ConnectionStrings:store").And.Contain("ssl=true").And.NotContain("known-pass-93c2");
    }

    [Fact]
    public async Task Trace_replay_is_refused_as_a_deployments_provider()
    {
        var (run, _) = await PublishedManifest.PublishAsync(new Dictionary<string, string?> { ["Deploy__CarbonProvider"] = "trace" });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("Deploy:CarbonProvider");
    }

    private bool External(string project) =>
        Manifest.Resources[project]!["bindings"]?.AsObject().Any(b => b.Value?["external"]?.GetValue<bool>() == true) == true;

    [GeneratedRegex("(Key|Token|Password|Username)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^\{([a-z0-9-]+)\.value\}$")]
    private static partial Regex ParameterReference();
}
