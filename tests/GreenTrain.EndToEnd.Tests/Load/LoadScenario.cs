using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using StackExchange.Redis;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.EndToEnd.Tests.Load;

/// <summary>
/// Many experiments submitted at once to the real AppHost (embedded store, two regional trainers), with a trainer
/// killed (kill -9) after a quarter of them completed and the whole AppHost stopped and started again after half.
/// It measures GET /experiments while it waits, and reads back from the store what each run trained.
/// </summary>
internal sealed class LoadScenario(int experiments, string folder)
{
    private const double SpeedUp = 240; // a trace hour in 15 s
    private const int Steps = 150;
    private const int CheckpointEverySteps = 50;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataPath = Path.Combine(folder, "store");
    private readonly string _trace = Loop.AlternatingTrace.Write(folder);

    public static string SpecJson(DateTimeOffset deadline) => """
        {"name":"load-digits","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":32,"depth":1},
         "training":{"steps":STEPS,"batchSize":32,"precision":"fp32","seed":7,"evalEverySteps":1000,
           "optimizer":{"kind":"sgd","learningRate":0.05,"momentum":0.9}},
         "checkpoint":{"everySteps":EVERY,"keepLast":2},
         "carbon":{"pausable":true,"allowedRegions":["DE","FR"],"deadline":"DEADLINE"}}
        """.Replace("STEPS", Steps.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("EVERY", CheckpointEverySteps.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("DEADLINE", deadline.ToString("O"), StringComparison.Ordinal);

    public async Task<LoadResult> RunAsync(TimeSpan deadlineIn)
    {
        var clock = Stopwatch.StartNew();
        var app = await StartAppHostAsync();
        var deadline = DateTimeOffset.UtcNow + deadlineIn;
        var ids = await SubmitAllAsync(app, deadline);
        var latencies = new List<double>();
        var (killedAt, restartedAt) = (TimeSpan.Zero, TimeSpan.Zero);
        try
        {
            while (DateTimeOffset.UtcNow < deadline + TimeSpan.FromMinutes(1))
            {
                var states = await ListStatesAsync(app, latencies);
                var completed = ids.Count(id => states.GetValueOrDefault(id) == "completed");
                if (completed == ids.Count)
                {
                    break;
                }
                if (killedAt == TimeSpan.Zero && completed >= ids.Count / 4)
                {
                    await KillTrainerAsync(app, "trainer-de");
                    killedAt = clock.Elapsed;
                }
                else if (restartedAt == TimeSpan.Zero && completed >= ids.Count / 2)
                {
                    await app.StopAsync();
                    await app.DisposeAsync();
                    app = await StartAppHostAsync();
                    restartedAt = clock.Elapsed;
                }
                // Polling the API (the thing measured) at a user's refresh rate, not a guess at how long training takes.
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            var finalStates = await ListStatesAsync(app, latencies);
            var runs = await ReadRunsAsync(app, ids, finalStates);
            return new LoadResult(ids.Count, runs, deadline, latencies, clock.Elapsed, killedAt, restartedAt, Steps, CheckpointEverySteps);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<DistributedApplication> StartAppHostAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GreenTrain_AppHost>(
        [
            "--Store:Mode=embedded", $"--Store:DataPath={_dataPath}", "--Demo:Enabled=false",
            $"--Local:SpeedUp={SpeedUp.ToString(CultureInfo.InvariantCulture)}", "--Local:Scheduler:ReplanSeconds=5", "--Local:Scheduler:DispatchSeconds=1",
            // Both regions replay the alternating trace: its earliest clean hours are the cheapest, so the plan runs the
            // work as soon as the slots allow rather than spreading it to the deadline.
            $"--Local:TraceFiles:DE={_trace}", $"--Local:TraceFiles:FR={_trace}", $"--Local:TraceStart={Loop.AlternatingTrace.Start:O}",
        ]);
        var app = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(cts.Token);
        foreach (var resource in new[] { "store", "scheduler", "trainer-de", "trainer-fr", "telemetry" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }
        return app;
    }

    private async Task<List<string>> SubmitAllAsync(DistributedApplication app, DateTimeOffset deadline)
    {
        using var scheduler = await Loop.SchedulerApiClient.CreateAsync(app);
        // Each run's estimate: a few seconds of wall time, in grid hours.
        var hours = (TimeSpan.FromSeconds(6) * SpeedUp).TotalHours.ToString(CultureInfo.InvariantCulture);
        var posts = Enumerable.Range(0, experiments).Select(async _ =>
        {
            var created = await scheduler.PostAsync($"/experiments?estimatedHours={hours}&estimatedKWh=0.001",
                new StringContent(SpecJson(deadline), Encoding.UTF8, "application/json"));
            created.EnsureSuccessStatusCode();
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        });
        return [.. await Task.WhenAll(posts)];
    }

    private static async Task<Dictionary<string, string>> ListStatesAsync(DistributedApplication app, List<double> latencies)
    {
        using var scheduler = await Loop.SchedulerApiClient.CreateAsync(app);
        var timer = Stopwatch.StartNew();
        var list = await scheduler.GetFromJsonAsync<JsonElement>("/experiments");
        latencies.Add(timer.Elapsed.TotalMilliseconds);
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("experiments");
        return items.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("state").GetString()!);
    }

    private static async Task KillTrainerAsync(DistributedApplication app, string trainer)
    {
        await using var store = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("store"))!);
        var pid = (int)await store.GetDatabase().HashGetAsync(StoreKeys.Service(trainer), "pid");
        Process.GetProcessById(pid).Kill(entireProcessTree: true); // no goodbye; the AppHost restarts it by itself
    }

    private static async Task<List<LoadRun>> ReadRunsAsync(DistributedApplication app, List<string> ids, Dictionary<string, string> states)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("store"))!);
        var shared = new SharedExperiments(new GreenTrainStore(connection));
        var runs = new List<LoadRun>();
        foreach (var id in ids)
        {
            var progress = await shared.ReadProgressAsync(id);
            var windows = (await connection.GetDatabase().ListRangeAsync(StoreKeys.EnergyWindows(id)))
                .Select(v => JsonSerializer.Deserialize<EnergyWindow>((string)v!, EnergyFiles.JsonOptions)!)
                .Where(w => w.Phase == EnergyPhase.Train).ToList();
            runs.Add(new LoadRun(id, states.GetValueOrDefault(id), progress, windows.Sum(w => w.StepEnd - w.StepStart),
                windows.Count == 0 ? null : windows.Max(w => w.End)));
        }
        return runs;
    }
}
