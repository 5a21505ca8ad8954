using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Intensity;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Testing.Store;
using StackExchange.Redis;
using SchedulerSeries = GreenTrain.Scheduler.Intensity.IntensitySeries;

namespace GreenTrain.Telemetry.Tests.Accounting;

/// <summary>The Scheduler writes its forecast cache with its own code; Telemetry reads it back from a real store.</summary>
public sealed class StoreForecastIntensitySourceTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

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
            new TraceIntensitySource(new Dictionary<string, string>(), TimeZoneInfo.Utc), new StoreForecastIntensitySource(store));

        var series = await source.GetSeriesAsync("DE", Ten, Ten.AddHours(2));

        series!.Source.Should().Contain("scheduler forecast cache").And.Contain("electricity-maps");
        series.MeanOver(Ten.AddMinutes(15), Ten.AddMinutes(75)).Should().BeApproximately(200, 1e-9); // 15 min at 100, gap, 15 min at 300
        series.ValueAt(Ten.AddMinutes(45)).Should().BeNull();
        (await source.GetSeriesAsync("FR", Ten, Ten.AddHours(2))).Should().BeNull();
    }

    [Fact]
    public void A_damaged_cache_entry_is_no_series()
    {
        StoreForecastIntensitySource.Parse("{\"Values\":[[1,2]]}", "DE").Should().BeNull();
        StoreForecastIntensitySource.Parse("not json", "DE").Should().BeNull();
    }
}
