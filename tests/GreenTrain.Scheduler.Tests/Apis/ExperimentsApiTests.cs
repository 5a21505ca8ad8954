using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

public class ExperimentsApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static string Spec(DateTimeOffset deadline, string region = "DE", bool pausable = true) =>
        "{\"name\":\"digits-mlp\",\"carbon\":{\"deadline\":\"" + deadline.ToString("O") + "\",\"allowedRegions\":[\"" + region +
        "\"],\"pausable\":" + (pausable ? "true" : "false") + "}}";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task PlanAsync(SchedulerHost host)
    {
        foreach (var region in new[] { "DE", "FR", "GB" })
        {
            await host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }
        await host.Get<PlanningService>().ReplanAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_bad_spec_gets_400_problem_details_naming_every_bad_field()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var response = await host.Client.PostAsync("/experiments?estimatedHours=-1",
            new StringContent("""{"name":"","model":{"width":0,"depth":0}}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.Should().Contain(["$.name", "$.model.width", "$.model.depth", "estimatedHours"]);
    }

    [Theory]
    [InlineData("""{"kind":"lottery-ticket"}""", "$.training.methods[0].kind")]
    [InlineData("""{"kind":"magnitude-pruning","finalSparsity":2}""", "$.training.methods[0].finalSparsity")]
    public async Task A_bad_training_method_gets_400_naming_its_json_path(string method, string path)
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var response = await host.Client.PostAsync("/experiments",
            new StringContent($$$"""{"training":{"methods":[{{{method}}}]}}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Contain(path);
    }

    [Fact]
    public async Task Submitted_experiment_is_planned_started_paused_resumed_and_cancelled_through_the_queue()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        var time = new FakeTimeProvider(Now);
        await using var host = await SchedulerHost.StartAsync(store, time);
        var queue = host.Get<CommandProducer>();

        // Two hours of work due in two hours: the plan must start now.
        var created = await host.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
            new StringContent(Spec(Now.AddHours(2)), System.Text.Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;
        await PlanAsync(host);
        await host.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var view = await JsonAsync(await host.Client.GetAsync($"/experiments/{id}"));
        view.GetProperty("state").GetString().Should().Be("running");
        view.GetProperty("region").GetString().Should().Be("DE");
        view.GetProperty("plan")[0].GetProperty("start").GetDateTimeOffset().Should().Be(Now);
        view.GetProperty("expectedGrams").GetDouble().Should().BeApproximately(view.GetProperty("runNowGrams").GetDouble(), 1e-6);
        (await queue.GetCountsAsync("DE")).Pending.Should().Be(1);

        var paused = await JsonAsync(await host.Client.PostAsync($"/experiments/{id}/pause", null));
        paused.GetProperty("state").GetString().Should().Be("paused");
        paused.GetProperty("heldByUser").GetBoolean().Should().BeTrue();
        (await queue.GetCountsAsync("DE")).Pending.Should().Be(2);

        var resumed = await JsonAsync(await host.Client.PostAsync($"/experiments/{id}/resume", null));
        resumed.GetProperty("heldByUser").GetBoolean().Should().BeFalse();
        var cancelled = await JsonAsync(await host.Client.PostAsync($"/experiments/{id}/cancel", null));
        cancelled.GetProperty("state").GetString().Should().Be("cancelled");
        (await host.Client.PostAsync($"/experiments/{id}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await host.Client.GetAsync("/experiments/exp-nope")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await host.Client.GetFromJsonAsync<JsonElement>("/experiments")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_loose_deadline_waits_for_cleaner_hours_and_the_plan_emits_less_than_running_at_once()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var created = await host.Client.PostAsync("/experiments?estimatedHours=0.1&estimatedKWh=1",
            new StringContent(Spec(Now.AddMinutes(30), region: "GB"), System.Text.Encoding.UTF8, "application/json"));
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;
        await PlanAsync(host);

        var view = await JsonAsync(await host.Client.GetAsync($"/experiments/{id}"));
        view.GetProperty("meetsDeadline").GetBoolean().Should().BeTrue();
        view.GetProperty("expectedGrams").GetDouble().Should().BeLessThan(view.GetProperty("runNowGrams").GetDouble());
        view.GetProperty("savedGrams").GetDouble().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task After_a_restart_plans_are_rebuilt_from_the_store_and_a_missed_start_runs_at_once()
    {
        await using var store = await StoreServers.StartAsync("redis");
        var time = new FakeTimeProvider(Now);
        string id;
        await using (var first = await SchedulerHost.StartAsync(store, time))
        {
            var created = await first.Client.PostAsync("/experiments?estimatedHours=2&estimatedKWh=1",
                new StringContent(Spec(Now.AddHours(4), region: "FR"), System.Text.Encoding.UTF8, "application/json"));
            id = (await JsonAsync(created)).GetProperty("id").GetString()!;
            await PlanAsync(first);
        }
        time.Advance(TimeSpan.FromHours(2)); // down for two hours: only two remain for two hours of work

        await using var second = await SchedulerHost.StartAsync(store, time);
        await PlanAsync(second);
        await second.Get<DispatchService>().DispatchAsync(CancellationToken.None);

        var record = await second.Get<ExperimentStore>().GetAsync(id);
        record!.PlannedAt.Should().Be(Now.AddHours(2));
        record.Plan!.Intervals[0].Start.Should().Be(Now.AddHours(2));
        record.State.Should().Be(ExperimentState.Running);
        (await second.Get<CommandProducer>().GetCountsAsync("FR")).Pending.Should().Be(1);
    }

    [Fact]
    public async Task With_an_api_key_configured_requests_without_it_are_refused()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), apiKey: "k3y-k3y-k3y-k3y-k3y");

        var without = await host.Client.GetAsync("/experiments");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/experiments");
        request.Headers.Add("X-Api-Key", "k3y-k3y-k3y-k3y-k3y");
        var with = await host.Client.SendAsync(request);

        without.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        without.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        with.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_the_forecast_endpoint_are_served()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);

        var openApi = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var forecast = await host.Client.GetFromJsonAsync<JsonElement>("/carbon/DE/forecast");
        var unknown = await host.Client.GetAsync("/carbon/XX/forecast");

        openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should()
            .Contain(["/experiments", "/experiments/{id}", "/experiments/{id}/pause", "/carbon/{region}/forecast"]);
        forecast.GetProperty("origin").GetString().Should().Be("Provider");
        forecast.GetProperty("intervals").GetArrayLength().Should().BeGreaterThan(100);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
