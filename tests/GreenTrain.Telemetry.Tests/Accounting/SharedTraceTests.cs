using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Traces;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Files;

namespace GreenTrain.Telemetry.Tests.Accounting;

/// <summary>The Scheduler plans and Telemetry bills with one reading of a trace: same intervals, same gaps, same clock.</summary>
public sealed class SharedTraceTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public async Task Scheduler_and_Telemetry_read_one_trace_file_identically()
    {
        var scheduler = ShippedTraces.ReadFile(TestWindows.TracePath, "DE");
        var telemetry = (await new TraceIntensitySource(new Dictionary<string, string> { ["DE"] = TestWindows.TracePath }, TracePolicy.Utc)
            .GetSeriesAsync("DE", scheduler.Start, scheduler.End))!;

        telemetry.Intervals.Select(i => (i.Start, i.End, i.GramsPerKWh)).Should().Equal(scheduler.Intervals.Select(i => (i.Start, i.End, i.GramsPerKWh)));
        // What the planner sees in a cell is what Telemetry charges over it.
        var noon = new DateTimeOffset(2020, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var grid = ForecastGrid.FromSeries([scheduler], noon, TimeSpan.FromMinutes(15), 4);
        for (var c = 0; c < 4; c++)
        {
            telemetry.MeanOver(grid.CellStart(c), grid.CellStart(c + 1))!.Value.Should().Be(grid.Regions["DE"][c]);
        }
    }

    [Fact]
    public void The_shipped_traces_are_on_utc_so_the_german_summer_minimum_is_at_solar_noon()
    {
        // Germany's solar noon is about 11:20 UTC (10.4 deg E). Read as UTC, June's mean daily minimum lies within an hour
        // of it; had the stamps been local summer time (UTC+2) it would sit near 13:20 local, i.e. 11:20 on the file's clock
        // would read as 09:20 UTC. The file also has no hour missing on 29 March nor repeated on 25 October, as local stamps would.
        var series = TraceReader.ReadFile(TestWindows.TracePath, "DE");
        var june = new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var byHour = Enumerable.Range(0, 24).Select(h => Enumerable.Range(0, 30)
            .Average(d => series.MeanOver(june.AddDays(d).AddHours(h), june.AddDays(d).AddHours(h + 1))!.Value)).ToArray();
        var cleanest = Array.IndexOf(byHour, byHour.Min()) + 0.5;
        cleanest.Should().BeInRange(10.5, 12.5);
        var spring = new DateTimeOffset(2020, 3, 29, 2, 0, 0, TimeSpan.Zero);
        series.At(spring).Should().NotBeNull();
        series.At(spring.AddMinutes(45)).Should().NotBeNull();
    }

    [Fact]
    public void Stamps_without_an_offset_are_read_in_the_zone_the_caller_names()
    {
        var path = _folder.File("berlin.csv", "Time,Carbon Intensity\n2020-01-01 00:00:00,300\n2020-07-01 00:00:00,200\n2020-07-01 01:00:00Z,100\n");

        var series = TraceReader.ReadFile(path, "DE", TracePolicy.ForZone("Europe/Berlin"));

        series.Intervals.Select(i => i.Start.UtcDateTime).Should().Equal(
            new DateTime(2019, 12, 31, 23, 0, 0, DateTimeKind.Utc), new DateTime(2020, 6, 30, 22, 0, 0, DateTimeKind.Utc),
            new DateTime(2020, 7, 1, 1, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void An_empty_value_is_a_gap_in_both_services_not_zero_and_not_an_error()
    {
        var path = _folder.File("gap.csv", "Time,Carbon Intensity\n2020-01-01 00:00:00,100\n2020-01-01 00:15:00,\n2020-01-01 00:30:00,300\n");

        var series = TraceReader.ReadFile(path, "DE");

        series.At(new DateTimeOffset(2020, 1, 1, 0, 20, 0, TimeSpan.Zero)).Should().BeNull();
        series.MeanOver(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 1, 0, 45, 0, TimeSpan.Zero))
            .Should().Be(200, "the gap counts for nothing, so 15 min at 100 and 15 min at 300 average to 200");
    }

    [Fact]
    public void A_file_without_the_needed_columns_is_refused_with_its_name()
    {
        var path = _folder.File("bad.csv", "when,value\n2020-01-01,1\n");

        var act = () => TraceReader.ReadFile(path, "DE");

        act.Should().Throw<FormatException>().WithMessage("*bad.csv*");
    }

    public void Dispose() => _folder.Dispose();
}
