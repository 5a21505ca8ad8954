using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry.Cli;

namespace GreenTrain.Telemetry.Tests.Cli;

public sealed class TelemetryCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private bool _serviceStarted;

    private int Run(params string[] args) =>
        CliApp.Run(TelemetryCommandLine.Create(_ => { _serviceStarted = true; return 0; }), args, _output, _error);

    [Theory]
    [InlineData("--help")]
    [InlineData("report", "--help")]
    public void Help_exits_0_without_starting_the_service(params string[] args)
    {
        Run(args).Should().Be(ExitCodes.Done);

        _output.ToString().Should().Contain("report").And.Contain("Usage:");
        _serviceStarted.Should().BeFalse();
    }

    [Fact]
    public void A_number_out_of_range_or_malformed_is_a_usage_error_naming_the_option()
    {
        Run("report", "--energy", ".", "--out", ".", "--intensity", "lots", "--embodied", "-1").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: --intensity must be a number from 0 to 5000, not 'lots'.")
            .And.Contain("error: --embodied must be a number from 0 to 1000000, not '-1'.");
    }
}
