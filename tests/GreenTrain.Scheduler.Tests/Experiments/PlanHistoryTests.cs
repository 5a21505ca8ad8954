using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>The plan history Telemetry's web UI shows: the first plan and every replan that moved the intervals, nothing more.</summary>
public class PlanHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_replan_that_changes_the_intervals_is_kept_and_an_unchanged_one_is_not()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time);
        var spec = "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + Now.AddHours(6).ToString("O") + "\",\"allowedRegions\":[\"DE\"],\"pausable\":true}}";
        var created = await host.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
            new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        var planning = host.Get<PlanningService>();
        var history = host.Get<SharedExperiments>();

        await planning.ReplanAsync(CancellationToken.None);
        await planning.ReplanAsync(CancellationToken.None); // same time, same forecast: the same plan
        var first = await history.ReadPlansAsync(id);
        time.Advance(TimeSpan.FromHours(1)); // an hour on, with a fresh forecast, the queued job's plan starts later
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        await planning.ReplanAsync(CancellationToken.None);
        var after = await history.ReadPlansAsync(id);

        var record = (await host.Get<ExperimentStore>().GetAsync(id))!;
        first.Should().ContainSingle();
        first[0].PlannedAt.Should().Be(Now);
        first[0].Intervals.Select(i => (i.Region, i.Start, i.End)).Should().Equal(record.FirstPlan!.Intervals.Select(i => (i.Region, i.Start, i.End)));
        after.Should().HaveCount(2);
        after[1].PlannedAt.Should().Be(Now.AddHours(1));
        after[1].Intervals.Select(i => (i.Region, i.Start, i.End)).Should().Equal(record.Plan!.Intervals.Select(i => (i.Region, i.Start, i.End)));
        after[1].ExpectedGrams.Should().Be(record.Plan.ExpectedGrams);
    }
}
