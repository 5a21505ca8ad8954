using System.CommandLine;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// `bench --out DIR [--device auto|cpu|cuda|cuda:N] [--libtorch DIR] [--fashion DIR] [--text PATH] [--quick]`:
/// trains the benchmark workloads with the real engine, times warm windows of steps, reads the GPU
/// energy counter, trains the CNN to 91% test accuracy, prints a table and writes DIR/bench-greentrain.json.
/// pytorch_reference.py measures the same workloads in PyTorch eager; compare.py puts them side by side.
/// </summary>
public static class BenchCommand
{
    public const double Target = 0.91;

    public static Command Create()
    {
        var outFolder = CliOptions.Folder("--out", "folder for bench-greentrain.json");
        var device = CliOptions.Device(DeviceRequest.Auto);
        var libTorch = new Option<string?>("--libtorch") { Description = "folder of an external LibTorch for CUDA (default: found with python3)", HelpName = "DIR" };
        var fashion = new Option<string>("--fashion") { Description = "Fashion-MNIST folder", HelpName = "DIR", DefaultValueFactory = _ => FashionMnistData.DefaultFolder };
        var text = new Option<string>("--text") { Description = "text corpus for the GPT workload", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var quick = new Option<bool>("--quick") { Description = "a few steps of each workload, to check the benchmark runs" };
        var command = new Command("bench", "Time the benchmark workloads with the real engine and read the GPU energy counter; writes DIR/bench-greentrain.json.")
        {
            outFolder, device, libTorch, fashion, text, quick,
        };
        command.SetAction(parsed => Run(
            new BenchOptions(parsed.GetRequiredValue(outFolder).FullName, parsed.GetValue(device), parsed.GetValue(libTorch),
                parsed.GetValue(fashion)!, parsed.GetValue(text)!, parsed.GetValue(quick)),
            parsed.Tokens.Select(t => t.Value).ToArray(), parsed.InvocationConfiguration.Output));
        return command;
    }

    private sealed record BenchOptions(string Out, DeviceRequest Device, string? LibTorch, string Fashion, string Text, bool Quick);

    private static int Run(BenchOptions options, string[] commandLine, TextWriter output)
    {
        var (outFolder, request, libTorch, quick) = (options.Out, options.Device, options.LibTorch, options.Quick);
        if (request != DeviceRequest.Cpu && LibTorchLocator.Find(libTorch, out _) is { } folder && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, commandLine) is { } childExit)
        {
            return childExit;
        }

        var (device, deviceError) = DeviceSelector.Select(request, libTorch, output.WriteLine);
        if (device is null) throw new UsageException(deviceError!);
        var (fashion, text) = (options.Fashion, options.Text);
        Directory.CreateDirectory(outFolder);
        using var energy = NvmlEnergy.TryOpen(out var energyProblem);
        output.WriteLine($"device {device.Description}; energy: {(energy is null ? energyProblem : "NVML total energy counter")}");

        var throughput = new List<ThroughputResult>();
        foreach (var benchCase in BenchCases.Throughput(fashion, text, quick))
        {
            throughput.Add(Measure(benchCase, device.Device, energy));
            output.WriteLine($"{benchCase.Model} {benchCase.Setting}: {throughput[^1].SamplesPerSecond:0} samples/s, {throughput[^1].MsPerStep:0.00} ms/step, {throughput[^1].JoulesPerStep:0.###} J/step");
        }

        var timeToTarget = new List<TimeToTargetResult>();
        foreach (var setting in new[] { "tf32", "bf16" })
        {
            var spec = BenchCases.Cnn(fashion, setting, steps: quick ? 40 : 2110, batch: 256, new TargetSpec { Metric = MetricKind.Accuracy, Value = Target }, evalEvery: quick ? 20 : 100);
            timeToTarget.Add(TrainToTarget(spec, setting, device.Device, energy));
            output.WriteLine($"cnn-fashion {setting} to {Target:P0}: reached {timeToTarget[^1].Reached} in {timeToTarget[^1].Seconds:0.0} s, {timeToTarget[^1].Steps} steps, {timeToTarget[^1].Joules:0} J");
        }

        var report = new BenchReport("torchsharp", device.Description, energy is null ? null : "nvml", throughput, timeToTarget);
        File.WriteAllText(Path.Combine(outFolder, "bench-greentrain.json"), JsonSerializer.Serialize(report, ExperimentSpecJson.Options));
        AnsiConsole.Write(Table(report));
        return ExitCodes.Done;
    }

    private static ThroughputResult Measure(ThroughputCase benchCase, Device device, NvmlEnergy? energy)
    {
        using var state = TrainingSession.Prepare(benchCase.Spec, device, RunOptions.DefaultCpuThreads);
        var window = new BenchWindow(benchCase.WarmupSteps, energy);
        new TrainingLoop([window], NullLogger.Instance) { LogEverySteps = 10 }.Run(state);
        var batch = benchCase.Spec.Training.BatchSize;
        var tokensPerExample = state.Data.Task == DataTask.LanguageModel ? benchCase.Spec.Model.ContextLength : 1L;
        var examples = (double)window.Steps * batch;
        return new ThroughputResult("torchsharp", benchCase.Model, benchCase.Setting, batch, tokensPerExample, window.Steps, window.Seconds,
            examples / window.Seconds, examples * tokensPerExample / window.Seconds, window.Joules, window.Joules / window.Steps,
            window.Joules / (examples * tokensPerExample), 1000 * window.Seconds / window.Steps);
    }

    internal static TimeToTargetResult TrainToTarget(ExperimentSpec spec, string setting, Device device, NvmlEnergy? energy)
    {
        var data = new TestAsValidation(DataSetFactory.Open(spec, device));
        using var state = TrainingSession.Prepare(spec, device, RunOptions.DefaultCpuThreads, data);
        var clock = new TimeToTarget(energy);
        new TrainingLoop([.. TrainingSession.StandardObservers(spec), clock], NullLogger.Instance) { LogEverySteps = 10 }.Run(state);
        return new TimeToTargetResult("torchsharp", "cnn-fashion", setting, Target, clock.Reached, clock.Steps, clock.Seconds, clock.Joules, clock.Accuracy);
    }

    private static Table Table(BenchReport report)
    {
        var table = new Table().Title("GreenTrain benchmark (TorchSharp)").AddColumns("model", "setting", "samples/s", "tokens/s", "ms/step", "J/step", "J/token");
        foreach (var t in report.Throughput)
        {
            table.AddRow(t.Model, t.Setting, $"{t.SamplesPerSecond:N0}", $"{t.TokensPerSecond:N0}", $"{t.MsPerStep:0.00}", $"{t.JoulesPerStep:0.###}", $"{t.JoulesPerToken:0.#####}");
        }

        foreach (var t in report.TimeToTarget)
        {
            table.AddRow("cnn-fashion to 91%", t.Setting, t.Reached ? "reached" : "not reached", $"{t.Steps} steps", $"{t.Seconds:0.0} s", $"{t.Joules:0} J", $"acc {t.Accuracy:P2}");
        }

        return table;
    }
}
