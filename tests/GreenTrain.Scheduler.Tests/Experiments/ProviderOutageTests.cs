using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.Scheduler.Tests.Providers;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>
/// The carbon provider is down from the Scheduler's first start, so no forecast was ever fetched: experiments are
/// planned on the built-in fallback (the embedded trace where the region has one, else a flat guess), a deadline
/// that needs it runs at once, and the record says why.
/// </summary>
public class ProviderOutageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static async Task<string> SubmitAsync(SchedulerHost host, string region, TimeSpan deadline, double hours)
    {
        var body = "{\"name\":\"outage\",\"carbon\":{\"deadline\":\"" + Now.Add(deadline).ToString("O") + "\",\"allowedRegions\":[\"" + region + "\"]}}";
        var created = await host.Client.PostAsync($"/experiments?estimatedHours={hours}&estimatedKWh=1", new StringContent(body, Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task With_no_forecast_ever_fetched_deadlines_are_still_met_on_the_built_in_fallback_and_the_note_says_so()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var down = new RecordedHttpServer(_ => new RecordedResponse(503, "upstream down"));
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: new Dictionary<string, string?>
        {
            ["Carbon:Provider"] = "electricitymaps", ["Carbon:ElectricityMapsToken"] = "recorded", ["Carbon:ElectricityMapsBaseUrl"] = down.BaseUrl.ToString(),
            ["Carbon:Regions:0"] = "DE", ["Carbon:Regions:1"] = "US-CAL-CISO",
        });
        var urgent = await SubmitAsync(host, "DE", TimeSpan.FromHours(2), 2);
        var loose = await SubmitAsync(host, "DE", TimeSpan.FromHours(30), 1);
        var elsewhere = await SubmitAsync(host, "US-CAL-CISO", TimeSpan.FromHours(3), 3);
        foreach (var region in new[] { "DE", "US-CAL-CISO" })
        {
            await host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }

        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var experiments = host.Get<ExperimentStore>();
        foreach (var id in new[] { urgent, elsewhere })
        {
            var record = await experiments.GetAsync(id);
            record!.State.Should().Be(ExperimentState.Running, "its deadline leaves no time to wait");
            record.Plan!.Intervals[0].Start.Should().Be(Now);
            record.Plan.MeetsDeadline.Should().BeTrue();
            record.Plan.Reason.Should().Contain("no forecast").And.Contain("fallback");
        }
        var waiting = await experiments.GetAsync(loose);
        waiting!.Plan!.Intervals.Should().NotBeEmpty("it is planned on the embedded DE trace");
        waiting.Plan.Reason.Should().Contain("built-in DE trace");
        (await experiments.GetAsync(elsewhere))!.Plan!.Reason.Should().Contain("flat");
    }
}
