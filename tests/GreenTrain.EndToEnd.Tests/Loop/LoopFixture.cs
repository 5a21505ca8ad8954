using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>
/// One AppHost for the loop tests (starting it takes minutes on two cores): embedded store, no demo, region DE
/// replaying <see cref="AlternatingTrace"/> at <see cref="SpeedUp"/>x, frequent replans so a run that outlasts
/// its estimate is replanned quickly.
/// </summary>
public sealed class LoopFixture : IAsyncLifetime
{
    /// <summary>A trace hour lasts 15 s of wall time; a planning cell (15 grid minutes) 3.75 s.</summary>
    public const double SpeedUp = 240;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    public DistributedApplication App { get; private set; } = null!;

    public IConnectionMultiplexer Store { get; private set; } = null!;

    public string Folder { get; } = TempFolder.Create("e2e-loop");

    /// <summary>The key the AppHost generated for this run and gave the Scheduler; its API refuses requests without it.</summary>
    public string SchedulerApiKey { get; private set; } = "";

    /// <summary>A client of the Scheduler's API that sends the run's key, as any caller of the deployed API must.</summary>
    public HttpClient CreateSchedulerClient()
    {
        return SchedulerApiClient.Create(App, SchedulerApiKey);
    }

    public static TimeSpan TraceHours(double hours) => TimeSpan.FromHours(hours) / SpeedUp;

    public async Task InitializeAsync()
    {
        var trace = AlternatingTrace.Write(Folder);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GreenTrain_AppHost>(
        [
            "--Store:Mode=embedded", $"--Store:DataPath={Path.Combine(Folder, "store")}", "--Demo:Enabled=false",
            $"--Local:SpeedUp={SpeedUp}", $"--Local:TraceFiles:DE={trace}", $"--Local:TraceStart={AlternatingTrace.Start:O}",
            "--Local:Scheduler:ReplanSeconds=5", "--Local:Scheduler:DispatchSeconds=1",
        ]);
        App = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        foreach (var resource in new[] { "store", "scheduler", "trainer-de", "trainer-fr", "telemetry" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }
        Store = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync("store"))!);
        SchedulerApiKey = await SchedulerApiClient.KeyAsync(App, cts.Token);
    }

    public async Task<int> ProcessIdOfAsync(string service) =>
        (int)await Store.GetDatabase().HashGetAsync(StoreKeys.Service(service), "pid");

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await App.DisposeAsync();
    }
}
