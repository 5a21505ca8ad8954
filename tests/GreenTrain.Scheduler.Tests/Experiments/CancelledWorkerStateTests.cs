using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>After a cancel, the worker's own report (cancelled once it has stopped) still reaches GET /experiments/{id}.</summary>
public class CancelledWorkerStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_cancelled_run_shows_the_worker_state_cancelled_once_the_worker_has_stopped()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time);
        var body = "{\"name\":\"c\",\"carbon\":{\"deadline\":\"" + Now.AddHours(1).ToString("O") + "\",\"allowedRegions\":[\"DE\"]}}";
        var created = await host.Client.PostAsync("/experiments?estimatedHours=1", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);
        var worker = new SharedExperiments(host.Get<GreenTrainStore>());
        await worker.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Running, Step: 10, TotalSteps: 100, UpdatedAt: time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(5));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        await host.Client.PostAsync($"/experiments/{id}/cancel", null);
        await worker.WriteProgressAsync(new ExperimentProgress(id, ExperimentRunState.Cancelled, Step: 12, TotalSteps: 100, UpdatedAt: time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(5));
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var view = JsonDocument.Parse(await host.Client.GetStringAsync($"/experiments/{id}")).RootElement;
        view.GetProperty("state").GetString().Should().Be("cancelled");
        view.GetProperty("workerState").GetString().Should().Be("cancelled");
    }
}
