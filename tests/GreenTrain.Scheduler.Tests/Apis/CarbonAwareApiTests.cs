using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Scheduler.Apis.CarbonAware;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Tests.Providers;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>
/// The Carbon Aware SDK Web API on the real Scheduler, fed by the UK provider over HTTP with the recorded UK day
/// (2023-05-04, 30-minute values) for GB and the same day reversed for GB-13, asked the SDK's documented requests.
/// </summary>
public sealed class CarbonAwareApiTests : IAsyncLifetime
{
    private static readonly List<(DateTimeOffset Time, double Value)> Day = RecordedResponses.UkDay();
    private static readonly List<(DateTimeOffset Time, double Value)> Reversed =
        Day.Select((p, i) => (p.Time, Day[Day.Count - 1 - i].Value)).ToList();
    private static readonly DateTimeOffset Now = Day[0].Time.AddHours(6);
    private IStoreServer _store = null!;
    private RecordedHttpServer _uk = null!;
    private SchedulerHost _host = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreServers.StartAsync("redis");
        _uk = new RecordedHttpServer(r => RecordedResponse.Json(r.Url!.AbsolutePath.Contains("regional")
            ? RecordedResponses.UkRegional(13, Reversed)
            : RecordedResponses.UkNational(Day.Select(p => (p.Time, (double?)p.Value)))));
        _host = await SchedulerHost.StartAsync(_store, new FakeTimeProvider(Now), extra: new Dictionary<string, string?>
        {
            ["Carbon:Provider"] = "uk", ["Carbon:UkBaseUrl"] = _uk.BaseUrl.ToString(), ["Carbon:Regions:0"] = "GB", ["Carbon:Regions:1"] = "GB-13",
        });
        foreach (var region in new[] { "GB", "GB-13" })
        {
            await _host.Get<ForecastService>().RefreshAsync(region, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _uk.DisposeAsync();
        await _store.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await _host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static string Z(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static double MeanOf(List<(DateTimeOffset Time, double Value)> day, DateTimeOffset from, int halfHours) =>
        day.Where(p => p.Time >= from).Take(halfHours).Average(p => p.Value);

    [Fact]
    public async Task Forecasts_current_answers_the_documented_request_with_rolling_windows_and_the_optimal_one()
    {
        var start = Day[2].Time;
        var end = Day[14].Time.AddMinutes(8);
        var (response, body) = await GetAsync($"/emissions/forecasts/current?location=GB&dataStartAt={Z(start)}&dataEndAt={Z(end)}&windowSize=60");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues(SignalHeader.Name).Should().Equal("average");
        var forecast = body.EnumerateArray().Single();
        forecast.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(
            ["generatedAt", "requestedAt", "location", "dataStartAt", "dataEndAt", "windowSize", "optimalDataPoints", "forecastData"]);
        forecast.GetProperty("location").GetString().Should().Be("GB");
        forecast.GetProperty("windowSize").GetInt32().Should().Be(60);
        forecast.GetProperty("requestedAt").GetDateTimeOffset().Should().Be(Now);
        forecast.GetProperty("dataStartAt").GetDateTimeOffset().Should().Be(start);
        var points = forecast.GetProperty("forecastData").EnumerateArray().ToList();
        // Every hour-long window that fits in [start, end]: starts 2..12 (13 plus an hour ends after end and is left out).
        points.Select(p => p.GetProperty("timestamp").GetDateTimeOffset()).Should().Equal(Day.Skip(2).Take(11).Select(p => p.Time));
        points.Should().AllSatisfy(p => p.GetProperty("duration").GetInt32().Should().Be(60));
        points.Select(p => p.GetProperty("value").GetDouble()).Should().Equal(
            Day.Skip(2).Take(11).Select(p => MeanOf(Day, p.Time, 2)), (a, b) => Math.Abs(a - b) < 1e-9);
        var best = points.Min(p => p.GetProperty("value").GetDouble());
        forecast.GetProperty("optimalDataPoints").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).Should().NotBeEmpty()
            .And.AllSatisfy(v => v.Should().Be(best));
    }

    [Fact]
    public async Task Emissions_by_location_are_the_observed_values_with_the_sdk_field_names()
    {
        var (response, body) = await GetAsync($"/emissions/bylocation?location=GB&time={Z(Day[0].Time)}&toTime={Z(Day[4].Time)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var items = body.EnumerateArray().ToList();
        items.Should().HaveCount(4);
        items[0].EnumerateObject().Select(p => p.Name).Should().Equal("location", "time", "rating", "duration");
        items.Select(i => i.GetProperty("rating").GetDouble()).Should().Equal(Day.Take(4).Select(p => p.Value));
        items.Select(i => i.GetProperty("time").GetDateTimeOffset()).Should().Equal(Day.Take(4).Select(p => p.Time));
        items.Should().AllSatisfy(i => i.GetProperty("duration").GetString().Should().Be("00:30:00"));
        // Nothing after now is observed: the forecast ahead is not served as emissions.
        var (_, all) = await GetAsync("/emissions/bylocation?location=GB");
        all.EnumerateArray().Select(i => i.GetProperty("time").GetDateTimeOffset()).Should().OnlyContain(t => t < Now).And.HaveCount(12);
    }

    [Fact]
    public async Task Best_of_several_locations_is_the_lowest_observed_rating_among_them()
    {
        var (response, body) = await GetAsync($"/emissions/bylocations/best?locations=GB&locations=GB-13&time={Z(Day[0].Time)}&toTime={Z(Now)}");
        var (_, both) = await GetAsync($"/emissions/bylocations?location=GB&location=GB-13&time={Z(Day[0].Time)}&toTime={Z(Now)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var lowest = Day.Take(12).Concat(Reversed.Take(12)).Min(p => p.Value);
        body.EnumerateArray().Should().NotBeEmpty().And.AllSatisfy(i => i.GetProperty("rating").GetDouble().Should().Be(lowest));
        both.EnumerateArray().Select(i => i.GetProperty("location").GetString()).Distinct().Should().BeEquivalentTo(["GB", "GB-13"]);
        both.GetArrayLength().Should().Be(24);
    }

    [Fact]
    public async Task Average_carbon_intensity_is_the_time_weighted_mean_of_the_observed_span()
    {
        var (response, body) = await GetAsync($"/emissions/average-carbon-intensity?location=GB&startTime={Z(Day[1].Time)}&endTime={Z(Day[5].Time)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body.EnumerateObject().Select(p => p.Name).Should().Equal("location", "startTime", "endTime", "carbonIntensity");
        body.GetProperty("carbonIntensity").GetDouble().Should().BeApproximately(MeanOf(Day, Day[1].Time, 4), 1e-9);
        body.GetProperty("startTime").GetDateTimeOffset().Should().Be(Day[1].Time);
    }

    [Theory]
    [InlineData("/emissions/bylocation", "location", "The location field is required.")]
    [InlineData("/emissions/bylocation?location=atlantis", "location", "'atlantis' is not a location")]
    [InlineData("/emissions/bylocations?location=GB&time=yesterday", "time", "The value 'yesterday' is not valid for time")]
    [InlineData("/emissions/forecasts/current?location=GB&dataStartAt=2023-05-05T00:00:00Z&dataEndAt=2023-05-04T00:00:00Z", "dataStartAt", "must be before dataEndAt")]
    [InlineData("/emissions/forecasts/current?location=GB&windowSize=-5", "windowSize", "not valid for windowSize")]
    [InlineData("/emissions/average-carbon-intensity?location=GB&startTime=2023-05-04T14:00:00Z", "endTime", "The endTime field is required.")]
    public async Task Bad_requests_get_400_validation_problem_details_naming_the_parameter(string path, string field, string message)
    {
        var (response, body) = await GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.GetProperty("title").GetString().Should().Be("One or more validation errors occurred.");
        body.GetProperty("status").GetInt32().Should().Be(400);
        body.GetProperty("errors").GetProperty(field).EnumerateArray().Single().GetString().Should().Contain(message);
    }

    [Fact]
    public async Task Forecast_batch_answers_each_item_as_of_its_requested_time()
    {
        var earlier = Day[4].Time.AddMinutes(10);
        var body = $$"""
            [
              {"location":"GB","dataStartAt":"{{Z(Now)}}","dataEndAt":"{{Z(Now.AddHours(4))}}","windowSize":30,"requestedAt":"{{Z(Now)}}"},
              {"location":"GB-13","windowSize":30,"requestedAt":"{{Z(earlier)}}"}
            ]
            """;
        var response = await _host.Client.PostAsync("/emissions/forecasts/batch", new StringContent(body, Encoding.UTF8, "application/json"));
        var forecasts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        forecasts.Should().HaveCount(2);
        // At or after the fetch: the forecast the planner uses, within the requested bounds.
        forecasts[0].GetProperty("forecastData").EnumerateArray().Select(p => p.GetProperty("value").GetDouble())
            .Should().Equal(Day.Where(p => p.Time >= Now && p.Time < Now.AddHours(4)).Select(p => p.Value));
        // Before the fetch: the built-in forecaster on what had been observed by then, starting where that ended.
        var past = forecasts[1];
        past.GetProperty("requestedAt").GetDateTimeOffset().Should().Be(earlier);
        past.GetProperty("generatedAt").GetDateTimeOffset().Should().Be(Reversed[4].Time);
        past.GetProperty("forecastData").EnumerateArray().First().GetProperty("timestamp").GetDateTimeOffset().Should().Be(Reversed[4].Time);
        // Only what had been observed by then reaches it: the forecaster run on the first four recorded values alone.
        var known = new IntensitySeries("GB-13", Reversed.Take(4)
            .Select(p => new IntensityInterval(p.Time, p.Time.AddMinutes(30), p.Value, IntensitySignal.Average, "recorded", "GB-13")).ToList());
        var expected = BuiltinForecast.Extend(known, known.End, TimeSpan.FromHours(48), TimeSpan.FromDays(1));
        past.GetProperty("forecastData").EnumerateArray().Select(p => p.GetProperty("value").GetDouble())
            .Should().Equal(expected.Intervals.Select(i => i.GramsPerKWh), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public async Task Forecast_batch_without_requested_at_names_the_item_and_field()
    {
        var response = await _host.Client.PostAsync("/emissions/forecasts/batch",
            new StringContent("""[{"location":"GB"},{"requestedAt":"2023-05-04T12:00:00Z"}]""", Encoding.UTF8, "application/json"));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["[0].requestedAt", "[1].location"]);
    }

    [Fact]
    public async Task Locations_lists_the_planned_regions_and_the_routes_need_the_api_key()
    {
        var (response, body) = await GetAsync("/locations");
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        var refused = await anonymous.GetAsync("/emissions/bylocation?location=GB");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body.EnumerateObject().Select(p => p.Name).Should().Equal("GB", "GB-13");
        body.GetProperty("GB-13").GetProperty("Name").GetString().Should().Be("GB-13");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_sdk_client_pointed_at_the_scheduler_reads_the_same_forecast_and_emissions()
    {
        // GreenTrain's own Carbon Aware SDK client, the way any SDK client would call it.
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", SchedulerHost.DefaultApiKey);
        var sdk = new CarbonAwareSdkProvider(client, _host.Client.BaseAddress!, TimeSpan.FromSeconds(10));

        var forecast = await sdk.GetForecastAsync("GB", CancellationToken.None);
        var emissions = await sdk.GetEmissionsAsync("GB", Day[0].Time, Day[6].Time, CancellationToken.None);

        var planned = (await _host.Get<ForecastService>().GetAsync("GB", CancellationToken.None))!.Series;
        forecast.Intervals.Select(i => (i.Start, i.End, i.GramsPerKWh)).Should().Equal(planned.Intervals.Select(i => (i.Start, i.End, i.GramsPerKWh)));
        // The client's default label is the SDK's "marginal"; GreenTrain's header says the UK values are average, and wins.
        forecast.Intervals.Should().OnlyContain(i => i.Signal == IntensitySignal.Average);
        emissions.Intervals.Select(i => i.GramsPerKWh).Should().Equal(Day.Take(6).Select(p => p.Value));
    }
}
