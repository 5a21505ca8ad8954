using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>Plans must not thrash: a run just started is not paused by the next plan a moment later (a pause and resume cost more than they save).</summary>
public class PlanHysteresisTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_just_started_run_is_not_paused_by_a_plan_50_ms_later_but_is_after_the_minimum_run()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time, extra: new Dictionary<string, string?> { ["Scheduler:MinRunSeconds"] = "20" });
        var body = "{\"name\":\"h\",\"carbon\":{\"deadline\":\"" + Now.AddHours(2).ToString("O") + "\",\"allowedRegions\":[\"DE\"]}}";
        var created = await host.Client.PostAsync("/experiments?estimatedHours=0.01", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var experiments = host.Get<ExperimentStore>();
        var dispatch = host.Get<DispatchService>();
        var queue = host.Get<CommandProducer>();
        await experiments.UpdateAsync(id, r => r with { Plan = PlanFrom(id, Now) });
        await dispatch.DispatchAsync(CancellationToken.None);

        // The next replan, 50 ms later, moves the window an hour on.
        time.Advance(TimeSpan.FromMilliseconds(50));
        await experiments.UpdateAsync(id, r => r with { Plan = PlanFrom(id, Now.AddHours(1)) });
        await dispatch.DispatchAsync(CancellationToken.None);
        var soon = await experiments.GetAsync(id);
        var queuedSoon = (await queue.GetCountsAsync("DE")).Pending;

        time.Advance(TimeSpan.FromSeconds(21));
        await dispatch.DispatchAsync(CancellationToken.None);
        var later = await experiments.GetAsync(id);

        soon!.State.Should().Be(ExperimentState.Running, "a run 50 ms old is not paused");
        queuedSoon.Should().Be(1, "only the Start was queued");
        later!.State.Should().Be(ExperimentState.Paused, "past the minimum run the plan's pause is carried out");
    }

    private static JobPlan PlanFrom(string id, DateTimeOffset start) =>
        new(id, [new PlannedInterval("DE", start, start.AddMinutes(30))], 1, 1, true, PlanningPolicy.RegionShifting, 0, 0);
}
