using System.Diagnostics;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Tests.Worker;

namespace GreenTrain.Trainer.Tests.Cli;

/// <summary>The Trainer binary's command line: help everywhere, usage errors exit 2, and no verb starts the service.</summary>
public sealed class TrainerCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly List<string[]> _serviceStarts = [];

    private int Run(params string[] args) => CliApp.Run(TrainerCommandLine.Create(a => { _serviceStarts.Add(a); return 0; }), args, _output, _error);

    [Theory]
    [InlineData("--help")]
    [InlineData("train", "--help")]
    [InlineData("worker", "--help")]
    [InlineData("bench", "-h")]
    public void Help_on_the_root_and_every_verb_exits_0_and_starts_nothing(params string[] args)
    {
        Run(args).Should().Be(ExitCodes.Done, _error.ToString());

        _output.ToString().Should().Contain("Usage:").And.Contain("--help");
        _serviceStarts.Should().BeEmpty("help must not start the web host");
    }

    [Fact]
    public void Root_help_lists_the_verbs()
    {
        Run("--help");

        _output.ToString().Should().Contain("train").And.Contain("worker").And.Contain("bench");
    }

    [Fact]
    public void No_verb_starts_the_service_with_the_configuration_arguments()
    {
        Run("--urls", "http://127.0.0.1:0", "--Worker:Enabled=false").Should().Be(0);

        _serviceStarts.Should().ContainSingle().Which.Should().Equal("--urls", "http://127.0.0.1:0", "--Worker:Enabled=false");
    }

    [Fact]
    public void An_unknown_verb_is_a_usage_error_not_a_service_start()
    {
        Run("trian", "--config", "x.json").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: 'trian' is not a verb");
        foreach (var verb in new[] { "train", "dedup", "worker", "bench" })
        {
            _error.ToString().Should().Contain($" {verb},", "the message lists every verb");
        }
        _serviceStarts.Should().BeEmpty();
    }

    [Theory]
    [InlineData("7")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    public void A_device_that_is_not_cpu_cuda_or_cuda_N_is_rejected_before_training(string device)
    {
        var config = Path.GetTempFileName();
        try
        {
            Run("train", "--config", config, "--out", Path.GetTempPath(), "--device", device).Should().Be(ExitCodes.Usage);
        }
        finally
        {
            File.Delete(config);
        }

        _error.ToString().Should().Contain($"error: --device must be auto, cpu, cuda or cuda:N (N the GPU's index, from 0), not '{device}'.");
    }

    [Fact]
    public void Worker_without_a_store_says_so_and_exits_2()
    {
        Run("worker", "--region", "DE").Should().Be(ExitCodes.Usage);

        _error.ToString().Should().Contain("error: --store CONNECTION is required");
    }

    [Fact]
    public void The_built_binary_prints_help_and_version_without_a_store_or_a_web_host()
    {
        // The real process, as `dotnet run --project Trainer -- --help` starts it: it used to start the web host and abort (134).
        var (exit, output) = RunTrainer("--help");
        exit.Should().Be(0, output);
        output.Should().Contain("train").And.Contain("worker").And.Contain("bench").And.NotContain("Now listening");

        var (versionExit, version) = RunTrainer("--version");
        versionExit.Should().Be(0, version);
        version.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    private static (int Exit, string Output) RunTrainer(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(WorkerProcess.TrainerDll());
        foreach (var argument in args) info.ArgumentList.Add(argument);
        info.Environment.Remove("ConnectionStrings__store");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
