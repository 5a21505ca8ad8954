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
}
