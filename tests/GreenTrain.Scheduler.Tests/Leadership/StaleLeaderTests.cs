using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Leadership;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Leadership;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Leadership;

/// <summary>
/// The Scheduler as one of several replicas, on a real store: a follower serves the API but neither plans nor
/// dispatches, and takes over (planning at once) when the lease frees; a leader whose lease another replica took while
/// it stalled is refused by the store, sends no command and overwrites no record.
/// </summary>
public sealed class StaleLeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static TheoryData<string> Kinds => StoreServers.Kinds;

    private static readonly string Spec = "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + Now.AddHours(3).ToString("O")
        + "\",\"allowedRegions\":[\"DE\"],\"pausable\":true}}";

    private static Task<SchedulerHost> StartAsync(IStoreServer store, FakeTimeProvider time, double leaseSeconds) =>
        SchedulerHost.StartAsync(store, time, extra: new Dictionary<string, string?>
        {
            ["Carbon:Regions:0"] = "DE",
            ["Leadership:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, quartz: true);

    private static async Task<string> SubmitAsync(SchedulerHost host)
    {
        var created = await host.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
            new StringContent(Spec, System.Text.Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_leader_whose_lease_was_taken_while_it_stalled_sends_no_command_and_overwrites_no_record(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        var time = new FakeTimeProvider(Now);
        await using var host = await StartAsync(store, time, leaseSeconds: 120); // its first renewal, which would notice the loss, is 40 s away
        var id = await SubmitAsync(host);
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        (await host.Get<PlanningService>().ReplanAsync(CancellationToken.None)).Should().Be(1, "the only replica leads and plans");
        var planned = await host.Get<GreenTrainStore>().Database.HashGetAsync(StoreKeys.Experiments, id);

        // It stalls past its lease: the lease lapses and another replica takes it; the stalled one still believes it leads.
        var leadership = host.Get<SchedulerLeadership>();
        var stale = leadership.Term!;
        await host.Get<GreenTrainStore>().Database.KeyDeleteAsync(StoreKeys.SchedulerLeader);
        var successor = await leadership.Lease.TryAcquireAsync("replica-b", TimeSpan.FromMinutes(1));
        successor.Should().NotBeNull();
        leadership.IsLeader.Should().BeTrue("nothing has told the stalled replica yet");
        for (var i = 0; i < 12; i++) // through the plan's start, which would send the Start
        {
            await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(15));
        }
        var replanned = await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        (await host.Get<CommandProducer>().GetCountsAsync("DE")).Pending.Should().Be(0, "the store refused the stale term's Start");
        (await host.Get<GreenTrainStore>().Database.HashGetAsync(StoreKeys.Experiments, id)).Should().Be(planned,
            "the stale term's record saves were refused too: what the successor decides stands");
        (await host.Get<ExperimentStore>().GetAsync(id))!.State.Should().Be(ExperimentState.Queued);
        leadership.IsLeader.Should().BeFalse("a refusal ends the stale term at once");
        replanned.Should().Be(0);
        (await leadership.Lease.ReadAsync()).Should().Be(successor);
        stale.Fence.Should().BeLessThan(successor!.Fence);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_follower_serves_the_api_plans_nothing_and_takes_over_when_the_lease_frees(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var other = new StoreLease(new GreenTrainStore(connection), StoreKeys.SchedulerLeader, StoreKeys.SchedulerLeaderFence);
        var leader = (await other.TryAcquireAsync("replica-a", TimeSpan.FromMinutes(1)))!; // another replica leads already
        var time = new FakeTimeProvider(Now);
        await using var host = await StartAsync(store, time, leaseSeconds: 3);
        var leadership = host.Get<SchedulerLeadership>();

        var id = await SubmitAsync(host);
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        var planned = await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        var asFollower = await host.Client.GetFromJsonAsync<JsonElement>($"/experiments/{id}");

        leadership.IsLeader.Should().BeFalse();
        planned.Should().Be(0, "only the leader plans");
        asFollower.GetProperty("state").GetString().Should().Be("queued", "the follower answers from the store");
        (await host.Get<ExperimentStore>().GetAsync(id))!.Plan.Should().BeNull("nobody planned it while the other replica led and did nothing");

        // The other replica stops cleanly and gives the lease up: this one leads at its next check and plans at once.
        (await other.ReleaseAsync(leader)).Should().BeTrue();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await host.Get<ExperimentStore>().GetAsync(id))!.Plan is null)
        {
            waited.Elapsed.Should().BeLessThan(Patience, "a follower takes a free lease within a third of the lease and replans at once");
            await Task.Delay(20);
        }
        leadership.IsLeader.Should().BeTrue();
        (await other.ReadAsync())!.Owner.Should().Be(leadership.Replica);
        waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "the check runs every second with a 3 s lease");
    }
}
