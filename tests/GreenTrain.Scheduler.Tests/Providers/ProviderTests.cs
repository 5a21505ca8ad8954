using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Providers;

public class ProviderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task UK_national_forecast_reads_every_half_hour_of_the_recorded_day()
    {
        var day = RecordedResponses.UkDay();
        await using var server = new RecordedHttpServer(_ => RecordedResponse.Json(RecordedResponses.UkNational(day.Select(p => (p.Time, (double?)p.Value)))));
        var provider = new UkCarbonIntensityProvider(Client, server.BaseUrl, Timeout, new FakeTimeProvider(day[0].Time));

        var series = await provider.GetForecastAsync("GB", CancellationToken.None);

        series.Intervals.Should().HaveCount(day.Count);
        series.Intervals.Select(i => i.GramsPerKWh).Should().Equal(day.Select(p => p.Value));
        series.Intervals[0].Should().Be(new IntensityInterval(day[0].Time, day[0].Time.AddMinutes(30), day[0].Value, IntensitySignal.Average, "uk-carbon-intensity", "GB"));
        server.Requests.Single().Should().Be("/intensity/2023-05-04T12:00Z/fw48h");
    }

    [Fact]
    public async Task UK_regional_forecast_asks_for_the_region_and_unwraps_its_periods()
    {
        var day = RecordedResponses.UkDay();
        await using var server = new RecordedHttpServer(_ => RecordedResponse.Json(RecordedResponses.UkRegional(13, day)));
        var provider = new UkCarbonIntensityProvider(Client, server.BaseUrl, Timeout, new FakeTimeProvider(day[0].Time));

        var series = await provider.GetForecastAsync("GB-13", CancellationToken.None);

        series.Region.Should().Be("GB-13");
        series.Intervals.Should().HaveCount(day.Count);
        server.Requests.Single().Should().EndWith("/fw48h/regionid/13");
    }

    [Fact]
    public async Task UK_nulls_are_gaps_and_an_all_null_answer_is_no_data()
    {
        var day = RecordedResponses.UkDay();
        var withNull = day.Select((p, i) => (p.Time, i == 3 ? null : (double?)p.Value));
        await using var server = new RecordedHttpServer(r => RecordedResponse.Json(RecordedResponses.UkNational(
            r.Url!.AbsolutePath.Contains("2023-05-04T11") ? day.Select(p => (p.Time, (double?)null)) : withNull)));
        var series = await new UkCarbonIntensityProvider(Client, server.BaseUrl, Timeout, new FakeTimeProvider(day[0].Time))
            .GetForecastAsync("GB", CancellationToken.None);
        var allNull = () => new UkCarbonIntensityProvider(Client, server.BaseUrl, Timeout, new FakeTimeProvider(day[0].Time.AddHours(-1)))
            .GetForecastAsync("GB", CancellationToken.None);

        series.Intervals.Should().HaveCount(day.Count - 1);
        series.At(day[3].Time).Should().BeNull();
        (await allNull.Should().ThrowAsync<IntensityProviderException>()).Which.Kind.Should().Be(ProviderErrorKind.NoData);
    }

    [Fact]
    public async Task Electricity_Maps_sends_the_auth_token_header_and_a_wrong_token_is_unauthorized()
    {
        var trace = ShippedTraces.ReadEmbedded("DE").Slice(new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 3, 3, 0, 0, 0, TimeSpan.Zero));
        var hourly = trace.Intervals.Where(i => i.Start.Minute == 0).Select(i => (i.Start, i.GramsPerKWh)).ToList();
        await using var server = new RecordedHttpServer(r => r.Headers["auth-token"] == "secret"
            ? RecordedResponse.Json(RecordedResponses.ElectricityMaps("DE", hourly))
            : new RecordedResponse(401, """{"error":"Unauthorized"}"""));

        var series = await new ElectricityMapsProvider(Client, server.BaseUrl, "secret", Timeout).GetForecastAsync("DE", CancellationToken.None);
        var wrong = () => new ElectricityMapsProvider(Client, server.BaseUrl, "stolen", Timeout).GetForecastAsync("DE", CancellationToken.None);

        series.Intervals.Should().HaveCount(24);
        series.TypicalStep.Should().Be(TimeSpan.FromHours(1));
        series.Intervals[5].GramsPerKWh.Should().Be(hourly[5].GramsPerKWh);
        server.Requests[0].Should().Be("/carbon-intensity/forecast?zone=DE");
        (await wrong.Should().ThrowAsync<IntensityProviderException>()).Which.Kind.Should().Be(ProviderErrorKind.Unauthorized);
    }

    [Fact]
    public async Task WattTime_logs_in_once_converts_pounds_per_MWh_and_logs_in_again_when_the_token_is_refused()
    {
        var points = RecordedResponses.WattTime();
        var validToken = "token-1";
        var logins = 0;
        await using var server = new RecordedHttpServer(r =>
        {
            if (r.Url!.AbsolutePath == "/login")
            {
                var ok = r.Headers["Authorization"] == "Basic " + Convert.ToBase64String("user:pass"u8.ToArray());
                return ok ? RecordedResponse.Json($$"""{"token":"token-{{Interlocked.Increment(ref logins)}}"}""") : new RecordedResponse(401, "{}");
            }
            return r.Headers["Authorization"] == $"Bearer {validToken}"
                ? RecordedResponse.Json(RecordedResponses.WattTimeForecast("CAISO_NORTH", points))
                : new RecordedResponse(401, """{"error":"token expired"}""");
        });
        var provider = new WattTimeProvider(Client, server.BaseUrl, "user", "pass", Timeout, new FakeTimeProvider(points[0].Time));

        var first = await provider.GetForecastAsync("CAISO_NORTH", CancellationToken.None);
        await provider.GetForecastAsync("CAISO_NORTH", CancellationToken.None);
        validToken = "token-2";
        var afterExpiry = await provider.GetForecastAsync("CAISO_NORTH", CancellationToken.None);

        first.Intervals.Should().HaveCount(points.Count);
        first.Intervals[0].GramsPerKWh.Should().BeApproximately(points[0].Value * 0.45359237, 1e-9);
        first.Intervals[0].Signal.Should().Be(IntensitySignal.Marginal);
        first.TypicalStep.Should().Be(TimeSpan.FromMinutes(5));
        afterExpiry.Intervals.Should().HaveCount(points.Count);
        logins.Should().Be(2);
        server.Requests.Should().Contain("/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer");
    }

    [Fact]
    public async Task Carbon_Aware_SDK_reads_current_forecasts_and_recorded_emissions_by_location()
    {
        var points = RecordedResponses.WattTime().Select(p => (p.Time, p.Value * 0.45359237)).ToList();
        await using var server = new RecordedHttpServer(r => RecordedResponse.Json(r.Url!.AbsolutePath.EndsWith("current")
            ? RecordedResponses.CarbonAwareForecast("westus", points)
            : RecordedResponses.CarbonAwareEmissions("westus", points.Take(12))));
        var provider = new CarbonAwareSdkProvider(Client, server.BaseUrl, Timeout);

        var forecast = await provider.GetForecastAsync("westus", CancellationToken.None);
        var emissions = await provider.GetEmissionsAsync("westus", points[0].Time, points[12].Time, CancellationToken.None);

        forecast.Intervals.Should().HaveCount(points.Count);
        forecast.Intervals[0].End.Should().Be(points[0].Time.AddMinutes(5));
        emissions.Intervals.Should().HaveCount(12);
        emissions.Intervals[3].GramsPerKWh.Should().BeApproximately(points[3].Item2, 1e-9);
        server.Requests[0].Should().Be("/emissions/forecasts/current?location=westus");
        server.Requests[1].Should().StartWith("/emissions/bylocations?location=westus&time=");
        forecast.Intervals.Should().OnlyContain(i => i.Signal == IntensitySignal.Marginal, "an SDK without GreenTrain's header gets the configured label");
        var average = await new CarbonAwareSdkProvider(Client, server.BaseUrl, Timeout, IntensitySignal.Average).GetForecastAsync("westus", CancellationToken.None);
        average.Intervals.Should().OnlyContain(i => i.Signal == IntensitySignal.Average, "an SDK on Electricity Maps is configured average");
    }

    [Fact]
    public async Task Rate_limit_is_typed_with_the_retry_after_the_server_asked_for()
    {
        await using var server = new RecordedHttpServer(_ => new RecordedResponse(429, """{"message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var act = () => new ElectricityMapsProvider(Client, server.BaseUrl, "t", Timeout).GetForecastAsync("DE", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<IntensityProviderException>()).Which;
        error.Kind.Should().Be(ProviderErrorKind.RateLimited);
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_timeout()
    {
        await using var server = new RecordedHttpServer(_ => new RecordedResponse(200, "{}", Hang: true));
        var act = () => new CarbonAwareSdkProvider(Client, server.BaseUrl, TimeSpan.FromMilliseconds(300)).GetForecastAsync("x", CancellationToken.None);

        (await act.Should().ThrowAsync<IntensityProviderException>()).Which.Kind.Should().Be(ProviderErrorKind.Timeout);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", ProviderErrorKind.Malformed, "*not JSON*")]
    [InlineData("""{"zone":"DE"}""", ProviderErrorKind.Malformed, "*$.forecast is missing*")]
    [InlineData("""{"zone":"DE","forecast":[{"carbonIntensity":"high","datetime":"2020-01-01T00:00:00Z"}]}""", ProviderErrorKind.Malformed, "*$.forecast[0].carbonIntensity is not a number*")]
    [InlineData("""{"zone":"DE","forecast":[]}""", ProviderErrorKind.NoData, "*no intensity values*")]
    public async Task Malformed_or_empty_answers_are_typed_and_name_the_bad_field(string body, ProviderErrorKind kind, string message)
    {
        await using var server = new RecordedHttpServer(_ => RecordedResponse.Json(body));
        var act = () => new ElectricityMapsProvider(Client, server.BaseUrl, "t", Timeout).GetForecastAsync("DE", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<IntensityProviderException>().WithMessage(message)).Which;
        error.Kind.Should().Be(kind);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable()
    {
        Uri url;
        await using (var server = new RecordedHttpServer(_ => RecordedResponse.Json("{}")))
        {
            url = server.BaseUrl;
        }
        var act = () => new ElectricityMapsProvider(Client, url, "t", Timeout).GetForecastAsync("DE", CancellationToken.None);

        (await act.Should().ThrowAsync<IntensityProviderException>()).Which.Kind.Should().Be(ProviderErrorKind.Unreachable);
    }
}
