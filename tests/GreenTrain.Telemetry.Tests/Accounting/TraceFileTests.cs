using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Tests.Support;
using GreenTrain.Testing.Files;

namespace GreenTrain.Telemetry.Tests.Accounting;

public sealed class TraceFileTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public void The_german_trace_reads_as_fifteen_minute_points_over_2020()
    {
        var series = TraceFile.Read(TestWindows.TracePath, "DE", TimeZoneInfo.Utc);

        series.Resolution.Should().Be(TimeSpan.FromMinutes(15));
        series.CoverageStart.Should().Be(new DateTimeOffset(2019, 12, 20, 0, 0, 0, TimeSpan.Zero));
        series.Points.Should().HaveCount(File.ReadLines(TestWindows.TracePath).Count() - 1);
        series.ValueAt(new DateTimeOffset(2020, 6, 1, 12, 7, 0, TimeSpan.Zero)).Should().Be(TestWindows.TraceValue("2020-06-01 12:00:00"));
    }

    [Fact]
    public void Stamps_without_offset_are_read_in_the_given_time_zone()
    {
        var path = _folder.File("berlin.csv", "Time,Carbon Intensity\n2020-01-01 00:00:00,300\n2020-07-01 00:00:00,200\n");

        var series = TraceFile.Read(path, "DE", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        series.Points.Select(p => p.Time.UtcDateTime).Should().Equal(
            new DateTime(2019, 12, 31, 23, 0, 0, DateTimeKind.Utc), new DateTime(2020, 6, 30, 22, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Uk_api_style_stamps_with_z_and_lower_case_header_are_read()
    {
        var path = _folder.File("uk.csv", "time,deltaseconds,unix,intensity\n2023-05-04T12:30Z,4659,1683199800.0,11\n2023-05-04T13:00Z,2859,1683201600.0,15\n");

        var series = TraceFile.Read(path, "GB", TimeZoneInfo.Utc);

        series.Points.Select(p => p.GramsPerKwh).Should().Equal(11, 15);
        series.CoverageEnd.Should().Be(new DateTimeOffset(2023, 5, 4, 13, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_file_without_the_needed_columns_is_refused_with_its_name()
    {
        var path = _folder.File("bad.csv", "when,value\n2020-01-01,1\n");

        var act = () => TraceFile.Read(path, "DE", TimeZoneInfo.Utc);

        act.Should().Throw<FormatException>().WithMessage("*bad.csv*time column*");
    }

    [Fact]
    public void A_row_without_a_number_is_refused_with_its_line()
    {
        var path = _folder.File("gap.csv", "Time,Carbon Intensity\n2020-01-01 00:00:00,1\n2020-01-01 00:15:00,\n");

        var act = () => TraceFile.Read(path, "DE", TimeZoneInfo.Utc);

        act.Should().Throw<FormatException>().WithMessage("*line 3*");
    }

    public void Dispose() => _folder.Dispose();
}
