using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Providers;
using GreenTrain.Scheduler.Tests.Providers;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Tests.Forecasting;

/// <summary>The fallback chain against a real provider over HTTP and a real store (Redis and Garnet).</summary>
public class ForecastServiceTests
{
    private static readonly HttpClient Client = new();

    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task Failures_fall_back_to_the_last_good_forecast_then_to_persistence_and_show_as_degraded(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        using var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var day = RecordedResponses.UkDay();
        var time = new FakeTimeProvider(day[0].Time);
        var failing = false;
        await using var server = new RecordedHttpServer(_ => failing
            ? new RecordedResponse(503, "upstream down")
            : RecordedResponse.Json(RecordedResponses.UkNational(day.Select(p => (p.Time, (double?)p.Value)))));
        var options = new CarbonOptions { Provider = "uk", Regions = ["GB"], HorizonHours = 24 };
        var service = new ForecastService(new UkCarbonIntensityProvider(Client, server.BaseUrl, TimeSpan.FromSeconds(5), time),
            new ForecastCache(new GreenTrainStore(connection)), time, options, NullLogger<ForecastService>.Instance);
        var health = new CarbonHealthCheck(service, options);

        var fresh = await service.RefreshAsync("GB", CancellationToken.None);
        (await health.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
        failing = true;
        time.Advance(TimeSpan.FromHours(1));
        var lastGood = await service.RefreshAsync("GB", CancellationToken.None);
        time.Advance(TimeSpan.FromDays(3));
        var persistence = await service.RefreshAsync("GB", CancellationToken.None);
        var report = await health.CheckHealthAsync(new HealthCheckContext());

        fresh!.Origin.Should().Be(ForecastOrigin.Provider);
        lastGood!.Origin.Should().Be(ForecastOrigin.LastGood);
        lastGood.Problem.Should().StartWith("HttpError");
        lastGood.Series.At(time.GetUtcNow().AddDays(-3).AddHours(2)).Should().Be(fresh.Series.At(day[0].Time.AddHours(3)));
        persistence!.Origin.Should().Be(ForecastOrigin.Builtin);
        persistence.Series.Start.Should().BeOnOrBefore(time.GetUtcNow());
        persistence.Series.End.Should().BeOnOrAfter(time.GetUtcNow().AddHours(24));
        // With one day known the built-in forecaster is persistence: the same time of day carries the same value.
        var lastKnown = fresh.Series.Intervals[^1];
        persistence.Series.At(lastKnown.Start.AddDays(2))!.Value.Should().Be(lastKnown.GramsPerKWh);
        report.Status.Should().Be(HealthStatus.Degraded);
        report.Description.Should().Contain("GB: Builtin forecast");
    }

    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task A_restarted_scheduler_plans_on_the_cached_forecast_while_the_provider_is_down(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        using var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var day = RecordedResponses.UkDay();
        var time = new FakeTimeProvider(day[0].Time);
        var failing = false;
        await using var server = new RecordedHttpServer(_ => failing
            ? new RecordedResponse(200, "{not json")
            : RecordedResponse.Json(RecordedResponses.UkNational(day.Select(p => (p.Time, (double?)p.Value)))));
        var options = new CarbonOptions { Provider = "uk", Regions = ["GB"] };
        ForecastService NewService() => new(new UkCarbonIntensityProvider(Client, server.BaseUrl, TimeSpan.FromSeconds(5), time),
            new ForecastCache(new GreenTrainStore(connection)), time, options, NullLogger<ForecastService>.Instance);

        await NewService().RefreshAsync("GB", CancellationToken.None);
        failing = true;
        var restarted = NewService();
        var afterRestart = await restarted.RefreshAsync("GB", CancellationToken.None);

        afterRestart!.Origin.Should().Be(ForecastOrigin.LastGood);
        afterRestart.Problem.Should().StartWith("Malformed");
        afterRestart.Series.At(day[5].Time).Should().Be(day[5].Value);
        (await connection.GetDatabase().KeyTimeToLiveAsync(StoreKeys.CarbonForecast("GB"))).Should().BeGreaterThan(TimeSpan.FromHours(47));
    }

    [Fact]
    public async Task After_a_429_the_provider_is_not_asked_again_before_its_retry_after()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 28, 14, 20, 0, TimeSpan.Zero));
        await using var server = new RecordedHttpServer(_ => new RecordedResponse(429, "{}", new Dictionary<string, string> { ["Retry-After"] = "300" }));
        var service = new ForecastService(new ElectricityMapsProvider(Client, server.BaseUrl, "t", TimeSpan.FromSeconds(5)),
            new ForecastCache(new GreenTrainStore(await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200"))),
            time, new CarbonOptions { Provider = "electricitymaps", ElectricityMapsToken = "t" }, NullLogger<ForecastService>.Instance);

        await service.RefreshAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(299));
        var during = await service.RefreshAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        await service.RefreshAsync("DE", CancellationToken.None);

        during!.Origin.Should().Be(ForecastOrigin.NeverFetched); // nothing ever fetched: the built-in fallback, and no crash
        during.Problem.Should().Contain("rate limited");
        server.Requests.Should().HaveCount(2);
    }
}
