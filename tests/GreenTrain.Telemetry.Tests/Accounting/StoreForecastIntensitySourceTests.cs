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
        await new ForecastCache(store).SaveAsync(forecast, Ten, TimeSpan.FromHours(1));
        var source = new FirstIntensitySource(
            new TraceIntensitySource(new Dictionary<string, string>(), GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.Utc), new StoreForecastIntensitySource(store));

        var series = await source.GetSeriesAsync("DE", Ten, Ten.AddHours(2));

        series!.Source.Should().Contain("scheduler forecast cache").And.Contain("electricity-maps");
        series.MeanOver(Ten.AddMinutes(15), Ten.AddMinutes(75)).Should().BeApproximately(200, 1e-9); // 15 min at 100, gap, 15 min at 300
        series.At(Ten.AddMinutes(45)).Should().BeNull();
        (await source.GetSeriesAsync("FR", Ten, Ten.AddHours(2))).Should().BeNull();
    }

    [Fact]
    public void A_damaged_cache_entry_is_no_series()
    {
        StoreForecastIntensitySource.Parse("{\"Source\":\"uk\",\"Values\":[[1,2]]}", "DE").Should().BeNull();
        StoreForecastIntensitySource.Parse("{\"Source\":\"uk\",\"Values\":[]}", "DE").Should().BeNull();
        StoreForecastIntensitySource.Parse("not json", "DE").Should().BeNull();
    }
}
