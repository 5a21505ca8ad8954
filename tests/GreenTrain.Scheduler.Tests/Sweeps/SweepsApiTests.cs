using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Sweeps.Service;
using GreenTrain.Scheduler.Tests.Apis;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Sweeps;

public class SweepsApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_bad_sweep_gets_400_naming_each_bad_field_by_json_path()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: NoRunner);

        var body = $$"""
            { "name": "s", "baseFile": "digits.json",
              "space": [ { "path": "$.training.optimizer.learningRate", "kind": "uniform", "min": 0.1, "max": 0.01 } ],
              "deadline": "{{Now.AddHours(-1):O}}" }
            """;
        var response = await host.Client.PostAsync("/sweeps", Json(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.Should().Contain(["$.baseFile", "$.space[0].max"]);
    }

    [Fact]
    public async Task A_deadline_in_the_past_and_a_region_nobody_plans_are_refused_by_path()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: NoRunner);

        var body = SweepBodies.SuccessiveHalving(Now.AddMinutes(-5)).Replace("[\"DE\"]", "[\"XX\"]", StringComparison.Ordinal);
        var response = await host.Client.PostAsync("/sweeps", Json(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.Should().BeEquivalentTo(["$.deadline", "$.base.carbon.allowedRegions[0]"]);
    }

    [Fact]
    public async Task A_posted_sweep_that_asks_for_cheaper_rung_scores_is_refused_because_workers_cannot_honour_it()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: NoRunner);

        var body = SweepBodies.SuccessiveHalving(Now.AddHours(6))
            .Replace("\"max\": 30 }", "\"max\": 30, \"rungEvalBatches\": 1 }", StringComparison.Ordinal);
        body.Should().Contain("rungEvalBatches");
        var response = await host.Client.PostAsync("/sweeps", Json(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.Should().BeEquivalentTo(["$.resource.rungEvalBatches"]);
    }

    [Fact]
    public async Task Sweeps_need_the_api_key()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: NoRunner);
        using var anonymous = new HttpClient { BaseAddress = host.Client.BaseAddress };

        (await anonymous.PostAsync("/sweeps", Json(SweepBodies.SuccessiveHalving(Now.AddHours(6))))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/sweeps")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_posted_sweep_is_stored_listed_and_cancelled_while_queued()
    {
        await using var store = await StoreServers.StartAsync("garnet");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), extra: NoRunner);

        var created = await host.Client.PostAsync("/sweeps", Json(SweepBodies.SuccessiveHalving(Now.AddHours(6))));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await ReadAsync(created)).GetProperty("id").GetString()!;
        created.Headers.Location!.ToString().Should().Be($"/sweeps/{id}");

        var stored = await host.Get<SweepStore>().GetAsync(id);
        stored!.State.Should().Be(SweepState.Queued);
        stored.Deadline.Should().Be(Now.AddHours(6));
        var view = await ReadAsync(await host.Client.GetAsync($"/sweeps/{id}"));
        view.GetProperty("state").GetString().Should().Be("queued");
        view.GetProperty("metric").GetString().Should().Be("accuracy");
        (await ReadAsync(await host.Client.GetAsync("/sweeps"))).EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Equal(id);

        var cancelled = await host.Client.PostAsync($"/sweeps/{id}/cancel", null);
        cancelled.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ReadAsync(cancelled)).GetProperty("state").GetString().Should().Be("cancelled");
        (await host.Get<SweepStore>().GetAsync(id))!.CancelRequested.Should().BeTrue();
        (await host.Client.GetAsync("/sweeps/sweep-none")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>These tests look at the API alone: no runner takes the sweeps they post.</summary>
    internal static readonly Dictionary<string, string?> NoRunner = new() { ["Sweeps:Run"] = "false" };
}
