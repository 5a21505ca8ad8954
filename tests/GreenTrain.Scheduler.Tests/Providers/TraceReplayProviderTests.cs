using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Providers;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Providers;

public class TraceReplayProviderTests
{
    private static readonly DateTimeOffset Wall = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task At_96x_a_trace_day_passes_in_15_wall_minutes_with_the_trace_values()
    {
        var time = new FakeTimeProvider(Wall);
        var options = new TraceReplayOptions { SpeedUp = 96, TraceStart = new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero), HorizonHours = 24 };
        var provider = new TraceReplayProvider(options, time);
        var trace = ShippedTraces.ReadEmbedded("DE");

        var now = await provider.GetForecastAsync("DE", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(15));
        var dayLater = await provider.GetForecastAsync("DE", CancellationToken.None);

        now.Intervals[0].Start.Should().Be(Wall);
        now.Intervals[0].Duration.Should().Be(TimeSpan.FromMinutes(15) / 96);
        now.Intervals[0].GramsPerKWh.Should().Be(trace.At(options.TraceStart)!.Value);
        (now.End - now.Start).Should().Be(TimeSpan.FromMinutes(15));
        dayLater.At(Wall.AddMinutes(15))!.Value.Should().Be(trace.At(options.TraceStart.AddDays(1))!.Value);
    }

    [Fact]
    public async Task Replay_starts_again_from_its_start_when_the_trace_ends()
    {
        var time = new FakeTimeProvider(Wall);
        var start = new DateTimeOffset(2021, 1, 9, 12, 0, 0, TimeSpan.Zero); // half a day before the DE trace ends
        var provider = new TraceReplayProvider(new TraceReplayOptions { SpeedUp = 1, TraceStart = start, HorizonHours = 24 }, time);

        var series = await provider.GetForecastAsync("DE", CancellationToken.None);

        (series.End - series.Start).Should().Be(TimeSpan.FromHours(24));
        // The DE trace's last value covers 23:00-23:15, so 11.25 h in replay is back at its start.
        series.At(Wall.AddHours(13))!.Value.Should().Be(ShippedTraces.ReadEmbedded("DE").At(start.AddHours(1.75))!.Value);
    }

    [Fact]
    public async Task Unknown_region_is_a_typed_error()
    {
        var provider = new TraceReplayProvider(new TraceReplayOptions(), new FakeTimeProvider(Wall));
        var act = () => provider.GetForecastAsync("XX", CancellationToken.None);

        (await act.Should().ThrowAsync<IntensityProviderException>()).Which.Kind.Should().Be(ProviderErrorKind.UnknownRegion);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x07, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x0a, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x54, 0x69, 0x6d, 0x65, 0x2c, 0x43, 0x61, 0x72, 0x62, 0x6f, 0x6e, 0x20, 0x49, 0x6e, 0x74, 0x65, 0x6e, 0x73, 0x69, 0x74, 0x79, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x2c, 0x35, 0x0a })]
    public async Task A_garbage_trace_file_is_a_malformed_file_error_naming_the_file_and_line_without_its_raw_bytes(byte[] garbage)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("greentrain-trace-").FullName, "de_garbage.csv");
        await File.WriteAllBytesAsync(file, garbage);
        var provider = new TraceReplayProvider(new TraceReplayOptions { Files = new(StringComparer.OrdinalIgnoreCase) { ["DE"] = file } }, new FakeTimeProvider(Wall));

        var thrown = await FluentActions.Awaiting(() => provider.GetForecastAsync("DE", CancellationToken.None)).Should().ThrowAsync<IntensityProviderException>();

        thrown.Which.Kind.Should().Be(ProviderErrorKind.Malformed);
        thrown.Which.Message.Should().Contain(file).And.MatchRegex(@":\d+:");
        thrown.Which.Message.Any(c => char.IsControl(c) || c == '\uFFFD').Should().BeFalse("raw bytes of the file must not reach the log");
    }
}
