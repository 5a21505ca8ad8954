using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>
/// A run whose worker died with nobody left to serve its region's queue: the Scheduler notices (no progress, no owner
/// claim, no live worker in that region for a stall period), moves it to an allowed region that has a live worker,
/// and says so in the record, the plan note and the log. Real store; workers are present only through the same
/// presence entries real workers write.
/// </summary>
public sealed class StalledRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(SchedulerHost Host, string Id, string Region)> StartRunAsync(IStoreServer store, FakeTimeProvider time, string allowed)
    {
        var host = await SchedulerHost.StartAsync(store, time, extra: new Dictionary<string, string?>
        {
            ["Carbon:Regions:0"] = "DE", ["Carbon:Regions:1"] = "FR",
        });
        var spec = "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + Now.AddHours(6).ToString("O") + "\",\"allowedRegions\":[" + allowed + "],\"pausable\":true}}";
        var created = await host.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
            new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        await host.Get<ForecastService>().RefreshAsync("FR", CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        // The plan must start it now (a deadline-tight 2 h of 6 would, but the test need not rely on it): dispatch until it runs.
        for (var i = 0; i < 24 && (await host.Get<ExperimentStore>().GetAsync(id))!.State != ExperimentState.Running; i++)
        {
            await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
            if ((await host.Get<ExperimentStore>().GetAsync(id))!.State != ExperimentState.Running)
            {
                time.Advance(TimeSpan.FromMinutes(15));
            }
        }
        var record = (await host.Get<ExperimentStore>().GetAsync(id))!;
        record.State.Should().Be(ExperimentState.Running, "the plan starts it within its deadline");
        // Its worker took the Start and trained a while, then died: progress stops, its owner claim lapses.
        await host.Get<SharedExperiments>().WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 10, TotalSteps: 100,
            Region: record.Region, UpdatedAt: time.GetUtcNow()));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        return (host, id, record.Region!);
    }

    [Fact]
    public async Task A_run_stalled_in_a_region_without_a_live_worker_is_planned_again_where_a_worker_is_and_the_move_is_told()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        var (host, id, stranded) = await StartRunAsync(store, time, "\"DE\",\"FR\"");
        await using var _ = host;
        var other = stranded == "DE" ? "FR" : "DE";
        await host.Get<WorkerPresence>().AnnounceAsync(other, "worker-of-" + other); // only the other region has a live worker
        var queue = host.Get<CommandProducer>();
        var pendingBefore = (await queue.GetCountsAsync(stranded)).Pending;

        time.Advance(TimeSpan.FromMinutes(2)); // silent for longer than the stall period (45 s)
        var stalled = await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        stalled.ReplanNeeded.Should().BeTrue("the run must be planned again at once");
        var taken = (await host.Get<ExperimentStore>().GetAsync(id))!;
        taken.State.Should().Be(ExperimentState.Paused, "nobody trains it where it was");
        taken.StrandedIn.Should().Be(stranded);
        taken.Message.Should().Contain($"stalled in {stranded}").And.Contain("no live worker");
        (await host.Get<SharedExperiments>().GetControlAsync(id))!.Desired.Should().Be(DesiredRunState.Pause,
            "its stale Start, when a worker of that region comes back, must not train it there as well");
        (await queue.GetCountsAsync(stranded)).Pending.Should().Be(pendingBefore + 1, "a Pause, so whoever comes back there records it paused");

        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var moved = (await host.Get<ExperimentStore>().GetAsync(id))!;
        moved.Plan!.Intervals.Should().NotBeEmpty().And.OnlyContain(i => i.Region == other, "the stranded region has no worker");
        moved.State.Should().Be(ExperimentState.Running);
        moved.Region.Should().Be(other);
        (await queue.GetCountsAsync(other)).Pending.Should().Be(1, "its Resume, from the checkpoint in the shared store");
        var view = await host.Client.GetFromJsonAsync<JsonElement>($"/experiments/{id}");
        view.GetProperty("planNote").GetString().Should().Contain($"moved from {stranded}");
        view.GetProperty("message").GetString().Should().Contain($"stalled in {stranded}");
    }

    [Fact]
    public async Task A_run_stalled_where_its_only_allowed_region_has_no_worker_stays_and_says_it_waits_for_one()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        var (host, id, stranded) = await StartRunAsync(store, time, "\"DE\"");
        await using var _ = host;
        await host.Get<WorkerPresence>().AnnounceAsync("FR", "worker-fr"); // a worker, but in a region it may not use

        time.Advance(TimeSpan.FromMinutes(2));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var record = (await host.Get<ExperimentStore>().GetAsync(id))!;
        stranded.Should().Be("DE");
        record.State.Should().Be(ExperimentState.Running, "no other region may take it; its worker is restarted by the AppHost");
        record.StrandedIn.Should().BeNull();
        record.Message.Should().Contain("stalled in DE").And.Contain("waits for a worker");

        // The restarted worker takes the run again and reports: the note goes.
        await host.Get<SharedExperiments>().WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 12, TotalSteps: 100,
            Region: "DE", UpdatedAt: time.GetUtcNow()));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        (await host.Get<ExperimentStore>().GetAsync(id))!.Message.Should().BeNull("it trains again");
    }
}
