using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Cli;

namespace GreenTrain.Scheduler.Tests.Cli;

public sealed class SchedulerCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private bool _serviceStarted;

    private int Run(params string[] args) =>
        CliApp.Run(SchedulerCommandLine.Create(_ => { _serviceStarted = true; return 0; }), args, _output, _error);

    [Theory]
    [InlineData("--help")]
    [InlineData("backtest", "--help")]
    [InlineData("bench-planner", "--help")]
    [InlineData("forecast-eval", "--help")]
    [InlineData("sweep", "--help")]
    public void Help_exits_0_without_starting_the_service(params string[] args)
    {
        Run(args).Should().Be(ExitCodes.Done);

        _output.ToString().Should().Contain("Usage:");
        _serviceStarted.Should().BeFalse();
    }

    [Fact]
    public void Bench_planner_refuses_a_run_count_that_is_not_a_whole_number()
    {
        Run("bench-planner", "--runs", "x").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: --runs must be a whole number of at least 1, not 'x'.");
    }

    [Fact]
    public void Forecast_eval_prints_both_models_per_horizon_and_writes_the_csv()
    {
        var trace = Path.Combine(Path.GetTempPath(), $"fe-{Guid.NewGuid():N}.csv");
        var csv = Path.ChangeExtension(trace, ".out.csv");
        // Six weeks of the shipped French trace, hourly, written as a user's own file.
        var fr = GreenTrain.Scheduler.Traces.ShippedTraces.ReadEmbedded("FR");
        var start = new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero);
        File.WriteAllLines(trace, Enumerable.Range(0, 42 * 24).Select(h => start.AddHours(h))
            .Select(t => $"{t:yyyy-MM-dd HH:mm:ss},{fr.At(t)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").Prepend("Time,Carbon Intensity"));
        try
        {
            Run("forecast-eval", "--trace", trace, "--out", csv).Should().Be(ExitCodes.Done);

            _output.ToString().Should().Contain("persistence-24h").And.Contain("builtin").And.Contain("48h");
            var rows = File.ReadAllLines(csv);
            rows[0].Should().Be("region,model,horizon_h,pairs,mape_pct,spearman");
            rows.Skip(1).Should().HaveCount(10); // 5 horizons x 2 models
        }
        finally
        {
            File.Delete(trace);
            File.Delete(csv);
        }
    }

    [Fact]
    public void Forecast_eval_without_a_trace_is_refused_naming_the_option()
    {
        Run("forecast-eval").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("--trace");
    }

    [Fact]
    public void Backtest_refuses_the_builtin_forecast_without_replan()
    {
        Run("backtest", "--trace", "de_2020.csv", "--forecast", "builtin").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("--replan");
    }

    [Fact]
    public void Sweep_refuses_a_sweep_file_naming_each_bad_field_by_its_json_path()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "base": { "name": "b" }, "space": [{ "path": "$.model.width", "kind": "choice", "values": [0] }] }""");
        try
        {
            Run("sweep", "--config", file, "--local").Should().Be(ExitCodes.Usage);

            _error.ToString().Should().Contain("$.space[0].values[0]: makes the trial spec invalid: $.model.width");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
