using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>Numbers a client sends are bounded to what the planner and trainer can represent: a 400 naming the field, never a poisoned plan.</summary>
public class SubmissionLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static async Task<List<string>> BadFieldsAsync(SchedulerHost host, string query, string body = """{"name":"digits-mlp"}""")
    {
        var response = await host.Client.PostAsync("/experiments" + query, new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{query} {body} must be refused");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }

    [Theory]
    [InlineData("?estimatedHours=1e308", "estimatedHours")]
    [InlineData("?estimatedHours=100000", "estimatedHours")]
    [InlineData("?estimatedKWh=1e308", "estimatedKWh")]
    [InlineData("?estimatedKWh=1e12", "estimatedKWh")]
    public async Task Estimates_beyond_what_the_planner_represents_are_refused_naming_the_field(string query, string field)
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        (await BadFieldsAsync(host, query)).Should().Contain(field);
    }

    [Fact]
    public async Task Spec_numbers_beyond_the_trainers_limits_are_refused_naming_every_field()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var fields = await BadFieldsAsync(host, "", """
            {"name":"big","training":{"steps":2000000000,"batchSize":100000000,"accumulationSteps":1000000,"evalEverySteps":2000000000,
             "evalBatches":2000000000,"earlyStopping":{"patience":2000000000}},
             "checkpoint":{"everySeconds":1e300,"keepLast":1000000}}
            """);

        fields.Should().Contain(["$.training.steps", "$.training.batchSize", "$.training.accumulationSteps", "$.training.evalEverySteps",
            "$.training.evalBatches", "$.training.earlyStopping.patience", "$.checkpoint.everySeconds", "$.checkpoint.keepLast"]);
    }

    [Fact]
    public async Task A_model_too_large_for_memory_is_refused_naming_its_fields_and_the_estimate()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var response = await host.Client.PostAsync("/experiments",
            new StringContent("""{"name":"huge","model":{"kind":"mlp","width":65536,"depth":256}}""", Encoding.UTF8, "application/json"));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        var message = errors.GetProperty("$.model")[0].GetString();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        message.Should().Contain("model.width 65536").And.Contain("model.depth 256").And.Contain("1,095,").And.Contain("GiB")
            .And.Contain("Scheduler:MaxModelMemoryGiB");
    }

    [Fact]
    public async Task A_configured_model_memory_limit_refuses_what_the_machine_would_hold()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now),
            extra: new Dictionary<string, string?> { ["Scheduler:MaxModelMemoryGiB"] = "0.001" });

        var small = await host.Client.PostAsync("/experiments",
            new StringContent("""{"name":"small","model":{"width":16,"depth":1}}""", Encoding.UTF8, "application/json"));
        var large = await host.Client.PostAsync("/experiments",
            new StringContent("""{"name":"large","model":{"width":1024,"depth":4}}""", Encoding.UTF8, "application/json"));

        small.StatusCode.Should().Be(HttpStatusCode.Created);
        large.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
