using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>What only the Scheduler can check (the clock, its regions, the query string) is a 400 naming the field too, never a 500 or a job that waits forever.</summary>
public class SubmissionValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(HttpStatusCode Status, string? Type, List<string> Fields)> PostAsync(SchedulerHost host, string query, string body)
    {
        var response = await host.Client.PostAsync("/experiments" + query, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var fields = response.StatusCode == HttpStatusCode.BadRequest
            ? JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList()
            : [];
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, fields);
    }

    [Theory]
    [InlineData("?estimatedHours=abc")]
    [InlineData("?estimatedHours=NaN")]
    [InlineData("?estimatedHours=Infinity")]
    [InlineData("?estimatedHours=1&estimatedHours=2")]
    public async Task A_query_estimate_that_is_not_a_number_is_a_400_naming_it(string query)
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var (status, type, fields) = await PostAsync(host, query, """{"name":"digits"}""");

        status.Should().Be(HttpStatusCode.BadRequest);
        type.Should().Be("application/problem+json");
        fields.Should().Equal("estimatedHours");
    }

    [Fact]
    public async Task A_bad_mixture_of_experts_is_a_400_naming_each_field()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var body = """{"name":"moe","dataset":{"kind":"text","path":"/data/fortunes"},"model":{"kind":"gpt","moe":{"experts":1,"topK":2,"capacityFactor":0}}}""";
        var (status, type, fields) = await PostAsync(host, "", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        type.Should().Be("application/problem+json");
        fields.Should().Contain(new[] { "$.model.moe.experts", "$.model.moe.topK", "$.model.moe.capacityFactor" }, "each bad MoE field is named (the data path outside the Scheduler's data roots is refused too, not this test's concern)");
    }

    [Fact]
    public async Task A_past_deadline_an_unknown_region_and_a_bad_estimate_are_named_together()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var body = "{\"name\":\"late\",\"carbon\":{\"deadline\":\"" + Now.AddHours(-1).ToString("O") + "\",\"allowedRegions\":[\"DE\",\"XX\"]}}";
        var (status, _, fields) = await PostAsync(host, "?estimatedKWh=abc", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        fields.Should().BeEquivalentTo("$.carbon.deadline", "$.carbon.allowedRegions[1]", "estimatedKWh");
    }

    [Fact]
    public async Task A_deadline_years_ahead_is_refused_and_configured_regions_are_accepted_in_any_case()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var far = "{\"carbon\":{\"deadline\":\"" + Now.AddYears(5).ToString("O") + "\"}}";
        var fine = "{\"carbon\":{\"deadline\":\"" + Now.AddHours(6).ToString("O") + "\",\"allowedRegions\":[\"gb\",\"FR\"]}}";

        (await PostAsync(host, "", far)).Fields.Should().Equal("$.carbon.deadline");
        (await PostAsync(host, "", fine)).Status.Should().Be(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("/etc")]
    [InlineData("/dev/zero")]
    [InlineData("/usr/share/datasets/../../../etc/passwd")]
    public async Task A_dataset_path_outside_the_data_roots_is_refused_naming_the_setting_not_the_file(string path)
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));
        var body = "{\"dataset\":{\"kind\":\"text\",\"path\":\"" + path + "\"},\"model\":{\"kind\":\"gpt\"}}";

        var response = await host.Client.PostAsync("/experiments", new StringContent(body, Encoding.UTF8, "application/json"));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        errors.EnumerateObject().Select(p => p.Name).Should().Equal("$.dataset.path");
        errors.GetProperty("$.dataset.path")[0].GetString().Should().Contain("Data:Roots").And.NotContain("exist").And.NotContain("bytes");
    }
}
