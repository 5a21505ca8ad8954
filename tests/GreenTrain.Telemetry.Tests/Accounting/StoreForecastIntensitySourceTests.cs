using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using SchedulerSeries = GreenTrain.ServiceDefaults.Carbon.IntensitySeries;
using GreenTrain.Testing.Time;

namespace GreenTrain.Telemetry.Tests.Accounting;

/// <summary>The Scheduler writes its forecast cache with its own code; Telemetry reads it back from a real store.</summary>
public sealed class StoreForecastIntensitySourceTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task Telemetry_reads_the_same_intensities_the_schedulers_forecast_refresh_cached(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        // The local default: the German 2020 trace replayed at 96x, so each trace hour lasts 37.5 s of wall time.
        var clock = new ManualClock(Ten.AddTicks(1234567));
        var options = new CarbonOptions { Regions = ["DE"], HorizonHours = 24, Replay = { SpeedUp = 96, HorizonHours = 72 } };
        var scheduler = new ForecastService(new TraceReplayProvider(options.Replay, clock), new ForecastCache(store), clock, options,
            NullLogger<ForecastService>.Instance);

        var forecast = (await scheduler.RefreshAsync("DE", CancellationToken.None))!.Series;
        var series = await new StoreForecastIntensitySource(store).GetSeriesAsync("DE", forecast.Start, forecast.End);

        forecast.Intervals.Should().HaveCountGreaterThan(24);
        series!.Source.Should().Be($"scheduler forecast cache ({TraceReplayProvider.ProviderName})");
        series.Intervals.Should().HaveCount(forecast.Intervals.Count);
        foreach (var (read, interval) in series.Intervals.Zip(forecast.Intervals))
        {
            read.GramsPerKWh.Should().Be(interval.GramsPerKWh);
            read.Start.Should().BeCloseTo(interval.Start, TimeSpan.FromMilliseconds(1));
            read.End.Should().BeCloseTo(interval.End, TimeSpan.FromMilliseconds(1));
        }
        // A 10 s window across the first boundary pays both hours in proportion, as the Scheduler's own series says.
        var boundary = forecast.Intervals[1].Start;
        var expected = (forecast.Intervals[0].GramsPerKWh * 4 + forecast.Intervals[1].GramsPerKWh * 6) / 10;
        series.MeanOver(boundary.AddSeconds(-4), boundary.AddSeconds(6))!.Value.Should().BeApproximately(expected, 0.1);
    }

    [Fact]
    public async Task Windows_are_priced_from_the_schedulers_cached_forecast_and_its_gaps_stay_gaps()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var forecast = new SchedulerSeries("DE",
        [
            new IntensityInterval(Ten, Ten.AddMinutes(30), 100, IntensitySignal.Average, "electricity-maps", "DE"),
            new IntensityInterval(Ten.AddHours(1), Ten.AddMinutes(90), 300, IntensitySignal.Average, "electricity-maps", "DE"),
        ]);
        await new ForecastCache(store).SaveAsync(forecast, Ten, TimeSpan.FromHours(1), keepPast: TimeSpan.FromDays(7));
        var source = new FirstIntensitySource(
            new TraceIntensitySource(new Dictionary<string, string>(), GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.Utc), new StoreForecastIntensitySource(store));

        var series = await source.GetSeriesAsync("DE", Ten, Ten.AddHours(2));

        series!.Source.Should().Contain("scheduler forecast cache").And.Contain("electricity-maps");
        series.MeanOver(Ten.AddMinutes(15), Ten.AddMinutes(75)).Should().BeApproximately(200, 1e-9); // 15 min at 100, gap, 15 min at 300
        series.At(Ten.AddMinutes(45)).Should().BeNull();
        (await source.GetSeriesAsync("FR", Ten, Ten.AddHours(2))).Should().BeNull();
    }

    [Fact]
    public async Task A_finished_window_is_priced_by_its_own_hour_after_the_scheduler_refreshes_its_forecast()
    {
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);
        var cache = new ForecastCache(store);
        SchedulerSeries Hourly(int fromHour, double grams) => new("DE",
            [.. Enumerable.Range(fromHour, 6).Select(h => new IntensityInterval(Ten.AddHours(h), Ten.AddHours(h + 1), grams, IntensitySignal.Average, "trace-replay", "DE"))]);
        await cache.SaveAsync(Hourly(0, 50), Ten, TimeSpan.FromHours(48), keepPast: TimeSpan.FromDays(7));
        // Three hours on the provider answers from the present: the window that ran at 10:00-10:30 has ended.
        await cache.SaveAsync(Hourly(3, 600), Ten.AddHours(3), TimeSpan.FromHours(48), keepPast: TimeSpan.FromDays(7));

        var series = await new StoreForecastIntensitySource(store).GetSeriesAsync("DE", Ten, Ten.AddMinutes(30));

        series!.MeanOver(Ten, Ten.AddMinutes(30)).Should().Be(50, "the hour it ran in, not the mean of the new forecast");
        series.At(Ten.AddHours(4)).Should().Be(600);
    }

    [Fact]
    public void A_damaged_cache_entry_is_no_series()
    {
        StoreForecastIntensitySource.Parse("{\"Source\":\"uk\",\"Values\":[[1,2]]}", "DE").Should().BeNull();
        StoreForecastIntensitySource.Parse("{\"Source\":\"uk\",\"Values\":[]}", "DE").Should().BeNull();
        StoreForecastIntensitySource.Parse("not json", "DE").Should().BeNull();
    }
}
