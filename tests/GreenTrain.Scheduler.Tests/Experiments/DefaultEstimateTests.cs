using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>In the local loop (trace replay at 96x, a 30-minute wall-clock horizon) a submission with no estimate and no deadline is planned for clean hours.</summary>
public class DefaultEstimateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_an_estimate_or_a_deadline_a_replayed_run_is_planned_carbon_aware_not_told_its_deadline_is_missed()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));
        var created = await host.Client.PostAsync("/experiments", new StringContent("""{"name":"no-estimate"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        foreach (var region in new[] { "DE", "FR", "GB" })
        {
            await host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }

        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        var record = await host.Get<ExperimentStore>().GetAsync(id);
        var horizon = host.Get<CarbonOptions>().WallTime(TimeSpan.FromHours(host.Get<CarbonOptions>().HorizonHours));
        TimeSpan.FromHours(record!.EstimatedHours).Should().BeLessThan(horizon, "the default estimate is on the replayed clock");
        (record.Plan!.Reason ?? "").Should().NotContain("cannot be met");
        record.Plan.MeetsDeadline.Should().BeTrue();
    }

    [Fact]
    public async Task Work_longer_than_the_horizon_without_a_deadline_is_not_told_of_a_deadline()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));
        var created = await host.Client.PostAsync("/experiments?estimatedHours=5", new StringContent("""{"name":"long"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);

        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);

        var note = (await host.Get<ExperimentStore>().GetAsync(id))!.Plan!.Reason;
        note.Should().NotContain("deadline").And.Contain("Carbon:HorizonHours");
    }
}
