using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Cli;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Backtest;

public class BacktestTests
{
    private static readonly DateTimeOffset March = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2020, 3, 6, 18, 2020, 3, 7)]  // Friday evening: the paper's rule gives Saturday 09:00
    [InlineData(2020, 3, 7, 12, 2020, 3, 9)]  // Saturday: Monday 09:00
    [InlineData(2020, 3, 8, 12, 2020, 3, 9)]  // Sunday: Monday 09:00
    [InlineData(2020, 3, 10, 3, 2020, 3, 10)] // Tuesday before 09:00: the same morning
    public void Next_workday_deadline_follows_the_published_rule(int y, int m, int d, int h, int dy, int dm, int dd)
    {
        JobGenerator.NextWorkdayNine(new DateTimeOffset(y, m, d, h, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(dy, dm, dd, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_finish_inside_working_hours_leaves_no_slack()
    {
        var finish = new DateTimeOffset(2020, 3, 10, 14, 30, 0, TimeSpan.Zero);
        JobGenerator.NextWorkdayNine(finish).Should().Be(finish);
    }

    [Fact]
    public void With_a_perfect_forecast_the_plan_is_the_oracle_and_saves_against_running_at_once()
    {
        var trace = TraceReader.ReadEmbedded("DE").Slice(March, March.AddDays(21));
        var settings = BacktestSettings.Parse(["--trace", "de", "--job-hours", "6", "--slack-hours", "18", "--forecast", "perfect", "--pausable"]);

        var result = BacktestRunner.Run(settings, [trace]);

        result.Jobs.Should().BeGreaterThan(80);
        result.PlannedGrams.Should().BeApproximately(result.OracleGrams, 1e-6 * result.OracleGrams);
        result.SavingsPct.Should().BeGreaterThan(5);
        result.DeadlineMisses.Should().Be(0);
    }

    [Fact]
    public void Noisy_forecasts_cost_some_of_the_savings_but_never_a_deadline()
    {
        var trace = TraceReader.ReadEmbedded("GB").Slice(March, March.AddDays(21));
        var noisy = BacktestSettings.Parse(["--trace", "gb", "--job-hours", "4-12", "--slack-hours", "12", "--forecast", "noisy:0.3", "--pausable", "--seed", "3"]);

        var result = BacktestRunner.Run(noisy, [trace]);

        result.PlannedGrams.Should().BeGreaterThan(result.OracleGrams);
        result.PlannedGrams.Should().BeLessThan(result.RunNowGrams);
        result.DeadlineMisses.Should().Be(0);
    }

    [Fact]
    public void Several_traces_shift_work_between_regions_and_report_each_share()
    {
        var de = TraceReader.ReadEmbedded("DE").Slice(March, March.AddDays(14));
        var fr = TraceReader.ReadEmbedded("FR").Slice(March, March.AddDays(14));
        var settings = BacktestSettings.Parse(["--trace", "de", "--trace", "fr", "--forecast", "persistence", "--pausable", "--migration-kwh", "0.5"]);

        var result = BacktestRunner.Run(settings, [de, fr]);

        result.Policy.Should().Be("RegionShifting");
        result.RegionShare!.Values.Sum().Should().BeApproximately(1, 1e-3);
        result.RegionShare["FR"].Should().BeGreaterThan(0.5); // France's nuclear grid is far cleaner than Germany's
        result.SavingsPct.Should().BeGreaterThan(50);
    }

    [Fact]
    public void Command_prints_one_json_object_with_the_promised_fields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bt-{Guid.NewGuid():N}_trace.csv");
        var trace = TraceReader.ReadEmbedded("FR").Slice(March, March.AddDays(10));
        File.WriteAllLines(path, ["Time,Carbon Intensity", .. trace.Intervals.Select(i => $"{i.Start:yyyy-MM-dd HH:mm:ss},{i.GramsPerKWh}")]);
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            var code = CliApp.Run(SchedulerCommandLine.Create(_ => throw new InvalidOperationException("backtest must not start the service")),
                ["backtest", "--trace", path, "--job-hours", "3", "--slack-hours", "9", "--arrivals", "hourly", "--forecast", "noisy:0.05"], output, error);
            code.Should().Be(0, error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
        using var json = JsonDocument.Parse(output.ToString());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().Contain(["jobs", "runNowGrams", "plannedGrams", "oracleGrams", "savingsPct", "oracleSavingsPct", "deadlineMisses"]);
    }

    [Theory]
    [InlineData(new[] { "--forecast", "perfect" }, "Name at least one --trace*")]
    [InlineData(new[] { "--trace", "x.csv", "--forecast", "psychic" }, "--forecast 'psychic'*")]
    [InlineData(new[] { "--trace", "x.csv", "--arrivals", "never" }, "--arrivals 'never'*")]
    [InlineData(new[] { "--trace", "x.csv", "--jobs", "2.7" }, "--jobs must be a whole number of at least 1, not '2.7'.")]
    [InlineData(new[] { "--trace", "x.csv", "--job-hours", "9-4" }, "--job-hours '9-4'*")]
    public void Bad_command_lines_say_which_option_is_wrong(string[] args, string message)
    {
        var act = () => BacktestSettings.Parse(args);
        act.Should().Throw<BacktestUsageException>().WithMessage(message);
    }
}
