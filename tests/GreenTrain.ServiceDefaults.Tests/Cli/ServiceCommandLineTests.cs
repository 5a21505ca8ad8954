using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.ServiceDefaults.Tests.Cli;

/// <summary>The shared conventions every GreenTrain binary gets from CliApp and ServiceCommandLine.</summary>
public sealed class ServiceCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly List<string[]> _serviceStarts = [];
    private int? _count;

    private RootCommand Root()
    {
        var count = CliOptions.Int("--count", "how many", 1);
        var ratio = CliOptions.Number("--ratio", "a fraction", 0.5, 0, 1);
        var verb = new Command("count", "counts") { count, ratio };
        verb.SetAction(p =>
        {
            _count = p.GetValue(count);
            return p.GetValue(ratio) > 0.9 ? throw new UsageException(["first problem", "second problem"]) : ExitCodes.Done;
        });
        return ServiceCommandLine.Create("a test service", [verb], args => { _serviceStarts.Add(args); return 7; });
    }

    private int Run(params string[] args) => CliApp.Run(Root(), args, _output, _error);

    [Fact]
    public void A_verb_gets_its_typed_value()
    {
        Run("count", "--count", "3").Should().Be(0);

        _count.Should().Be(3);
        _serviceStarts.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2.7", "--count must be a whole number of at least 1, not '2.7'.")]
    [InlineData("0", "--count must be a whole number of at least 1, not '0'.")]
    [InlineData("many", "--count must be a whole number of at least 1, not 'many'.")]
    public void A_whole_number_option_refuses_fractions_and_out_of_range_values(string value, string message)
    {
        Run("count", "--count", value).Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain($"error: {message}").And.Contain("--help' for usage.");
        _count.Should().BeNull("the verb does not run on a usage error");
    }

    [Fact]
    public void A_number_option_checks_its_range()
    {
        Run("count", "--ratio", "1.5").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: --ratio must be a number from 0 to 1, not '1.5'.");
    }

    [Fact]
    public void A_usage_exception_from_a_verb_prints_each_problem_in_the_same_style_and_exits_2()
    {
        Run("count", "--ratio", "0.95").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: first problem").And.Contain("error: second problem");
    }

    [Fact]
    public void Unknown_options_of_a_verb_exit_2()
    {
        Run("count", "--bogus").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: ").And.Contain("--bogus");
    }

    [Fact]
    public void Help_and_version_exit_0_and_do_not_start_the_service()
    {
        Run("--help").Should().Be(0);
        Run("--version").Should().Be(0);
        Run("count", "--help").Should().Be(0);

        _serviceStarts.Should().BeEmpty();
        _output.ToString().Should().Contain("a test service").And.Contain("count");
    }

    [Fact]
    public void No_verb_runs_the_service_with_every_argument_and_returns_its_exit_code()
    {
        Run().Should().Be(7);
        Run("--Section:Key=value").Should().Be(7);

        _serviceStarts.Should().HaveCount(2);
        _serviceStarts[1].Should().Equal("--Section:Key=value");
    }
}
