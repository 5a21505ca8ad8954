using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Tests.Forecasting;

/// <summary>The forecast cache in a real store (Redis and Garnet), which Telemetry also prices finished windows from.</summary>
public class ForecastCacheTests
{
    private static readonly DateTimeOffset Midnight = new(2020, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task A_refresh_keeps_the_hours_that_have_passed_so_finished_runs_stay_priced_by_them(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        using var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var cache = new ForecastCache(new GreenTrainStore(connection));

        // Providers answer from the present on: the first forecast from midnight, the next from 10:00, the last from 30:00.
        await cache.SaveAsync(Hours(0, 24, 100), Midnight, TimeSpan.FromHours(48), keepPast: TimeSpan.FromHours(24));
        await cache.SaveAsync(Hours(10, 24, 300), Midnight.AddHours(10), TimeSpan.FromHours(48), keepPast: TimeSpan.FromHours(24));
        var afterTwo = await PricedAsync(connection);
        var forecast = (await cache.LoadAsync("DE"))!.Value.Series;
        await cache.SaveAsync(Hours(30, 24, 500), Midnight.AddHours(30), TimeSpan.FromHours(48), keepPast: TimeSpan.FromHours(24));
        var afterThree = await PricedAsync(connection);

        afterTwo.Start.Should().Be(Midnight, "the hours before the second forecast are kept");
        afterTwo.At(Midnight.AddHours(3)).Should().Be(100, "a run that ended at 04:00 is priced by its own hours");
        afterTwo.At(Midnight.AddHours(12)).Should().Be(300, "from the new forecast's start its values replace the old ones");
        afterTwo.End.Should().Be(Midnight.AddHours(34));
        forecast.Start.Should().Be(Midnight.AddHours(10), "the Scheduler plans on the forecast as fetched, without the kept past");
        afterThree.Start.Should().Be(Midnight.AddHours(6), "intervals that ended more than keepPast before the save are let go");
        afterThree.At(Midnight.AddHours(8)).Should().Be(100);
        afterThree.At(Midnight.AddHours(20)).Should().Be(300);
        afterThree.At(Midnight.AddHours(31)).Should().Be(500);
    }

    [Theory]
    [MemberData(nameof(StoreServers.Kinds), MemberType = typeof(StoreServers))]
    public async Task A_past_from_another_provider_is_let_go_rather_than_relabelled(string kind)
    {
        await using var store = await StoreServers.StartAsync(kind);
        using var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var cache = new ForecastCache(new GreenTrainStore(connection));

        await cache.SaveAsync(Hours(0, 24, 100, "electricity-maps"), Midnight, TimeSpan.FromHours(48), keepPast: TimeSpan.FromHours(24));
        await cache.SaveAsync(Hours(10, 24, 300, "uk-carbon-intensity"), Midnight.AddHours(10), TimeSpan.FromHours(48), keepPast: TimeSpan.FromHours(24));
        var priced = await PricedAsync(connection);

        priced.Start.Should().Be(Midnight.AddHours(10), "the entry has one source, and the earlier hours were not this provider's");
        priced.Intervals.Should().OnlyContain(i => i.Source == "uk-carbon-intensity");
    }

    /// <summary>The entry as Telemetry reads it to price windows (StoreForecastIntensitySource: the same parse and mapping).</summary>
    private static async Task<IntensitySeries> PricedAsync(IConnectionMultiplexer connection) =>
        ForecastCacheMapping.ToSeries(CarbonForecastJson.TryParse((string)(await connection.GetDatabase().StringGetAsync(StoreKeys.CarbonForecast("DE")))!)!, "DE")!;

    private static IntensitySeries Hours(int fromHour, int count, double grams, string source = "test") => new("DE",
        [.. Enumerable.Range(fromHour, count).Select(h => new IntensityInterval(Midnight.AddHours(h), Midnight.AddHours(h + 1), grams, IntensitySignal.Average, source, "DE"))]);
}
