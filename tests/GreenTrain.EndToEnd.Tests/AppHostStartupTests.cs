using System.Net.Http.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Testing.Store;
using StackExchange.Redis;

namespace GreenTrain.EndToEnd.Tests;

/// <summary>
/// Starts the real AppHost the way a user's first `dotnet run` does on a machine with no container
/// runtime: embedded Garnet store, three services, all healthy, all using the shared store.
/// </summary>
public sealed class AppHostStartupTests
{
    private static readonly string[] Services = ["scheduler", "trainer-de", "trainer-fr", "telemetry"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Every_resource_becomes_healthy_and_each_service_uses_the_shared_store_which_survives_a_restart()
    {
        var dataPath = TempFolder.Create("apphost-store");

        await using (var first = await StartAppHostAsync(dataPath))
        {
            await AssertEveryServiceWroteAndReadTheStoreAsync(first, expectedStarts: 1);
            await AssertTheExperimentsRowShowsWhatTheWorkerReportedAsync(first);
        }

        // The store's data lives under the data folder, not in the process: a second AppHost sees the first one's writes.
        await using var second = await StartAppHostAsync(dataPath);
        await AssertEveryServiceWroteAndReadTheStoreAsync(second, expectedStarts: 2);
    }

    private static async Task<DistributedApplication> StartAppHostAsync(string dataPath)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GreenTrain_AppHost>(
            ["--Store:Mode=embedded", $"--Store:DataPath={dataPath}", "--Demo:Enabled=false"]);
        var app = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(cts.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("store", cts.Token);
        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token);
        }
        return app;
    }

    /// <summary>The dashboard's "experiments" row follows the progress hashes the workers write.</summary>
    private static async Task AssertTheExperimentsRowShowsWhatTheWorkerReportedAsync(DistributedApplication app)
    {
        var connectionString = await app.GetConnectionStringAsync("store");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var experiments = new ExperimentStore(new GreenTrainStore(connection));
        var id = SharedStoreServers.UniqueId("exp-row");

        await experiments.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Paused, Step: 30, TotalSteps: 120, Region: "DE"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var row = await app.ResourceNotifications.WaitForResourceAsync("experiments",
            e => e.Snapshot.State?.Text.EndsWith(id, StringComparison.Ordinal) == true, cts.Token);

        row.Snapshot.State!.Text.Should().Be($"paused 25% in DE · {id}");
        row.Snapshot.Properties.Should().Contain(p => p.Name == $"experiment.{id}" && Equals(p.Value, "paused at 25% in DE (step 30 of 120)"));
    }

    private static async Task AssertEveryServiceWroteAndReadTheStoreAsync(DistributedApplication app, long expectedStarts)
    {
        var connectionString = await app.GetConnectionStringAsync("store");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var db = connection.GetDatabase();

        foreach (var service in Services)
        {
            using var http = app.CreateHttpClient(service);
            var info = await http.GetFromJsonAsync<ServiceInfo>("/info");
            info!.Name.Should().Be(service);
            info.StoreKind.Should().Be("garnet");
            info.StoreLatencyMs.Should().BePositive();
            info.Starts.Should().Be(expectedStarts, $"{service} counts its starts in the shared store");

            // Read back, directly from the store, what the service wrote through its own connection.
            ((long)await db.StringGetAsync(StoreKeys.ServiceStarts(service))).Should().Be(expectedStarts);
            (await db.HashGetAsync(StoreKeys.Service(service), "pid")).HasValue.Should().BeTrue();
            (await db.StringGetAsync(StoreKeys.HealthProbe(service))).HasValue.Should().BeTrue(
                $"{service}'s health check writes and reads its probe key");
        }
    }
}
