using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Leadership;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Tests.Leadership;

/// <summary>
/// A planned command is sent once per decision: a leader that queued it and died before saving the record leaves a
/// record its successor decides the same step from, with the same command id, and the queue does not take it twice.
/// Later decisions, and the user's own pauses, are sent as usual.
/// </summary>
public sealed class PlannedDispatchOnceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds => StoreServers.Kinds;

    private static readonly string Spec = "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + Now.AddHours(3).ToString("O")
        + "\",\"allowedRegions\":[\"DE\"],\"pausable\":true}}";

    /// <summary>A submitted, planned experiment dispatched until its Start is queued; returns its id and its record as stored just before.</summary>
    private static async Task<(string Id, RedisValue BeforeStart)> StartedAsync(SchedulerHost host, FakeTimeProvider time)
    {
        var created = await host.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
            new StringContent(Spec, System.Text.Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        (await host.Get<PlanningService>().ReplanAsync(CancellationToken.None)).Should().Be(1);
        for (var step = 0; step < 12; step++) // through the plan's start
        {
            var before = await host.Get<GreenTrainStore>().Database.HashGetAsync(StoreKeys.Experiments, id);
            await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
            if ((await host.Get<ExperimentStore>().GetAsync(id))!.State == ExperimentState.Running)
            {
                return (id, before);
            }
            time.Advance(TimeSpan.FromMinutes(15));
        }
        throw new InvalidOperationException("the plan never started the experiment");
    }

    private static async Task<List<TrainerCommand>> QueuedAsync(SchedulerHost host) =>
        (await host.Get<GreenTrainStore>().Database.ListRangeAsync(StoreKeys.QueuePending("DE")))
            .Reverse().Select(p => CommandPayload.TryDeserialize(p!)!).ToList(); // oldest first

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_decision_queued_by_a_leader_that_died_before_saving_is_not_sent_again_and_the_next_one_is(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: new Dictionary<string, string?> { ["Carbon:Regions:0"] = "DE" });
        var (id, beforeStart) = await StartedAsync(host, time);

        // The leader dies between queuing the Start and saving the record: the store still holds the record as before.
        await host.Get<GreenTrainStore>().Database.HashSetAsync(StoreKeys.Experiments, id, beforeStart);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        var redecided = (await host.Get<ExperimentStore>().GetAsync(id))!;
        var afterCrash = await QueuedAsync(host);

        // A later decision (the record now carries the next sequence) is queued as usual.
        var next = await host.Get<DispatchService>().SendPlannedAsync(redecided, "DE", TrainerCommandKind.Pause, time.GetUtcNow(), host.Get<SchedulerLeadership>().Term!);
        var afterNext = await QueuedAsync(host);

        afterCrash.Should().ContainSingle("the successor re-decided the same Start with the same id").Which.Should().Match<TrainerCommand>(c =>
            c.Kind == TrainerCommandKind.Start && c.CommandId == DispatchService.PlannedCommandId(id, 0));
        redecided.State.Should().Be(ExperimentState.Running);
        redecided.DispatchSequence.Should().Be(1, "the record saved after the send carries the next sequence");
        next.Should().Be(2);
        afterNext.Select(c => (c.Kind, c.CommandId)).Should().Equal(
            (TrainerCommandKind.Start, DispatchService.PlannedCommandId(id, 0)), (TrainerCommandKind.Pause, DispatchService.PlannedCommandId(id, 1)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_user_pause_resume_pause_cycle_sends_three_commands(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: new Dictionary<string, string?> { ["Carbon:Regions:0"] = "DE" });
        var (id, _) = await StartedAsync(host, time);

        (await host.Client.PostAsync($"/experiments/{id}/pause", null)).EnsureSuccessStatusCode();
        (await host.Client.PostAsync($"/experiments/{id}/resume", null)).EnsureSuccessStatusCode();
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None); // the plan resumes it
        (await host.Get<ExperimentStore>().GetAsync(id))!.State.Should().Be(ExperimentState.Running);
        (await host.Client.PostAsync($"/experiments/{id}/pause", null)).EnsureSuccessStatusCode();
        var queued = await QueuedAsync(host);

        queued.Select(c => c.Kind).Should().Equal(
            TrainerCommandKind.Start, TrainerCommandKind.Pause, TrainerCommandKind.Resume, TrainerCommandKind.Pause);
        queued.Select(c => c.CommandId).Should().OnlyHaveUniqueItems();
        queued[2].CommandId.Should().Be(DispatchService.PlannedCommandId(id, 1), "the plan's Resume is its second planned decision");
    }
}
