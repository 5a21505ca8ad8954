using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Tests.Contracts;

/// <summary>The forecast cache entry the Scheduler writes and Telemetry reads.</summary>
public sealed class CarbonForecastJsonTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_entry_reads_back_as_written_with_millisecond_interval_bounds()
    {
        var entry = new CarbonForecastEntry(Ten, "trace-replay", CarbonSignal.Marginal,
        [
            new CarbonForecastInterval(Ten, Ten.AddSeconds(37.5), 312.25),
            new CarbonForecastInterval(Ten.AddSeconds(37.5), Ten.AddSeconds(75.123), 298),
        ]);

        var json = CarbonForecastJson.Serialize(entry);
        var read = CarbonForecastJson.TryParse(json);

        read!.FetchedAt.Should().Be(Ten);
        read.Source.Should().Be("trace-replay");
        read.Signal.Should().Be(CarbonSignal.Marginal);
        read.Intervals.Should().Equal(entry.Intervals);
        json.Should().Contain("\"signal\":\"marginal\"").And.Contain("[1795600837.5,1795600875.123,298]");
    }

    [Fact]
    public void An_entry_cached_by_a_scheduler_before_the_shared_contract_still_reads()
    {
        // The form the Scheduler wrote before: PascalCase names, the signal as a number, whole seconds.
        const string before = "{\"FetchedAt\":\"2026-11-25T10:00:00+00:00\",\"Source\":\"electricity-maps\",\"Signal\":0," +
            "\"Values\":[[1795600800,1795602600,100.5],[1795604400,1795606200,300]]}";

        var read = CarbonForecastJson.TryParse(before);

        read!.Source.Should().Be("electricity-maps");
        read.Signal.Should().Be(CarbonSignal.Average);
        read.Intervals.Should().Equal(
            new CarbonForecastInterval(Ten, Ten.AddMinutes(30), 100.5),
            new CarbonForecastInterval(Ten.AddHours(1), Ten.AddMinutes(90), 300));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"source\":\"uk\",\"values\":[]}")]
    [InlineData("{\"source\":\"uk\",\"values\":[[1,2]]}")]
    [InlineData("{\"source\":\"uk\",\"values\":[[1,2,3,4]]}")]
    [InlineData("{\"source\":\"uk\",\"values\":[[2,1,300]]}")]
    [InlineData("{\"source\":\"uk\",\"values\":[[1e30,2e30,300]]}")]
    [InlineData("{\"values\":[[1,2,300]]}")]
    public void A_damaged_entry_is_no_forecast(string json) => CarbonForecastJson.TryParse(json).Should().BeNull();
}
