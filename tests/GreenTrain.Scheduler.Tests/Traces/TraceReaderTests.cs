using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Traces;

public class TraceReaderTests
{
    [Fact]
    public void German_trace_reads_as_quarter_hour_intervals_of_average_intensity()
    {
        var series = TraceReader.ReadFile(TestData.Trace("DE"));

        series.Region.Should().Be("DE");
        series.TypicalStep.Should().Be(TimeSpan.FromMinutes(15));
        series.Intervals.Should().HaveCount(37147);
        series.Intervals[0].Start.Should().Be(new DateTimeOffset(2019, 12, 20, 0, 0, 0, TimeSpan.Zero));
        series.Intervals[0].GramsPerKWh.Should().BeApproximately(218.29, 0.01);
        series.Intervals[0].Signal.Should().Be(IntensitySignal.Average);
        series.Intervals.Should().OnlyContain(i => i.Duration == TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void British_trace_that_changes_from_30_to_15_minutes_keeps_every_value_for_its_own_length()
    {
        var series = ShippedTraces.ReadEmbedded("GB");

        var october = series.Intervals.Where(i => i.Start.Month == 10 && i.Start.Year == 2020).ToArray();
        october.Select(i => i.Duration).Distinct().Should().BeEquivalentTo([TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15)]);
        // No holes and no overlaps: each interval ends where the next starts.
        for (var i = 1; i < series.Intervals.Count; i++)
        {
            series.Intervals[i].Start.Should().Be(series.Intervals[i - 1].End);
        }
    }

    [Fact]
    public void Sampling_a_15_minute_trace_at_30_minutes_averages_the_two_quarters()
    {
        var series = TraceReader.ReadFile(TestData.Trace("DE"));
        var grid = series.ToGrid(series.Start, TimeSpan.FromMinutes(30), 2);

        grid[0].Should().BeApproximately((series.Intervals[0].GramsPerKWh + series.Intervals[1].GramsPerKWh) / 2, 1e-9);
        grid[1].Should().BeApproximately((series.Intervals[2].GramsPerKWh + series.Intervals[3].GramsPerKWh) / 2, 1e-9);
    }

    [Fact]
    public void Electricity_Maps_export_reads_the_life_cycle_column_and_zone()
    {
        var path = Path.Combine(Path.GetTempPath(), $"em-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path,
            "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,Data Estimated,Data Estimation Method\n" +
            "2023-01-01 00:00:00,Germany,Germany,DE,280.12,331.4,55.1,50.2,\"entsoe.eu, ...\",false,\n" +
            "2023-01-01 01:00:00,Germany,Germany,DE,275.00,326.9,56.0,51.0,entsoe.eu,false,\n" +
            "2023-01-01 02:00:00,Germany,Germany,DE,,,,,entsoe.eu,true,TIME_SLICER_AVERAGE\n" +
            "2023-01-01 03:00:00,Germany,Germany,DE,260.50,310.0,57.0,52.0,entsoe.eu,false,\n");
        try
        {
            var series = TraceReader.ReadFile(path);

            series.Region.Should().Be("DE");
            series.Intervals.Select(i => i.GramsPerKWh).Should().Equal(331.4, 326.9, 310.0);
            series.Intervals[0].Source.Should().Be("electricitymaps-trace");
            // The empty 02:00 row is a gap, which a grid sample shows as NaN rather than a made-up value.
            series.ToGrid(series.Start, TimeSpan.FromHours(1), 4)[2].Should().Be(double.NaN);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Carbon_Aware_SDK_json_reads_string_ratings_of_one_location()
    {
        var series = TraceReader.ReadFile(TestData.File("carbon_aware_sdk_emissions_sample.json"), "sydney");

        series.Region.Should().Be("Sydney");
        series.Intervals[0].GramsPerKWh.Should().Be(0.6);
        series.Intervals[0].Source.Should().Be("carbon-aware-sdk-trace");
    }

    [Fact]
    public void WattTime_forecast_export_is_converted_from_pounds_per_MWh_to_grams_per_kWh()
    {
        var series = TraceReader.ReadFile(TestData.File("watttime_moer_forecast_sample.csv"), "CAISO_NORTH");

        series.Intervals[0].GramsPerKWh.Should().BeApproximately(479.4 * 0.45359237, 1e-9);
        series.Intervals[0].Signal.Should().Be(IntensitySignal.Marginal);
        series.TypicalStep.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Unknown_header_names_the_file_and_the_forms_it_accepts()
    {
        var act = () => CsvTraceReader.Read(new StringReader("when,how much\n2020-01-01,3\n"), "odd.csv");

        act.Should().Throw<TraceFormatException>().WithMessage("odd.csv:1: header 'when,how much' is none of the known forms*");
    }

    [Fact]
    public void Bad_time_stamp_names_the_line()
    {
        var act = () => CsvTraceReader.Read(new StringReader("Time,Carbon Intensity\n2020-01-01 00:00:00,3\nyesterday,4\n"), "t.csv");

        act.Should().Throw<TraceFormatException>().WithMessage("t.csv:3: 'yesterday' is not a time stamp.");
    }
}
