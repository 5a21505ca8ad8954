using System.CommandLine;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// `bench-gpt --out DIR [--device cuda] [--libtorch DIR] [--text PATH] [--batches 32,64,128] [--steps N]`:
/// the benchmark's GPT (BenchCases.Gpt) in bf16 at several batch sizes: tokens/s and J/token over a warm
/// window, MFU against the device's dense bf16 peak, and where a step's time goes (StepProfile).
/// gpt_profile.py measures the same in PyTorch eager; run both in one call (Trainer/Benchmarks/run-gpt-profile.sh).
/// </summary>
public static class GptProfileCommand
{
    /// <summary>Dense bf16 tensor-core peak of an H100/H200 SXM (NVIDIA H100 datasheet: 989 TFLOP/s without sparsity).</summary>
    public const double PeakBf16FlopsPerSecond = 989e12;

    public sealed record GptProfileResult(string Framework, int Batch, long Steps, double TokensPerSecond, double MsPerStep, double? JoulesPerToken,
        double Mfu, double HostMsPerStep, double WallMsPerStep, double ForwardMs, double BackwardMs, double RestMs);

    public static Command Create()
    {
        var outFolder = CliOptions.Folder("--out", "folder for gpt-profile-torchsharp.json");
        var device = CliOptions.Device(DeviceRequest.Auto);
        var libTorch = new Option<string?>("--libtorch") { Description = "folder of an external LibTorch for CUDA (default: found with python3)", HelpName = "DIR" };
        var text = new Option<string>("--text") { Description = "text corpus for the GPT", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var batches = new Option<int[]>("--batches") { Description = "batch sizes to measure", HelpName = "N,N", DefaultValueFactory = _ => [32, 64, 128], AllowMultipleArgumentsPerToken = true, CustomParser = ParseBatches };
        var steps = CliOptions.Int("--steps", "steps per throughput window, the first 20 of them warm-up", 220, min: 30);
        var command = new Command("bench-gpt", "Profile the benchmark GPT in bf16 at several batch sizes: tokens/s, J/token, MFU, host time and phase times.")
        {
            outFolder, device, libTorch, text, batches, steps,
        };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(outFolder).FullName, parsed.GetValue(device), parsed.GetValue(libTorch), parsed.GetValue(text)!,
            parsed.GetValue(batches)!, parsed.GetValue(steps), parsed.Tokens.Select(t => t.Value).ToArray(), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int[] ParseBatches(System.CommandLine.Parsing.ArgumentResult result)
    {
        var values = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var parsed = new List<int>();
        foreach (var value in values)
        {
            if (int.TryParse(value, out var batch) && batch > 0) parsed.Add(batch);
            else result.AddError($"--batches: '{value}' is not a positive whole number.");
        }

        return [.. parsed];
    }

    private static int Run(string outFolder, DeviceRequest request, string? libTorch, string text, int[] batches, int steps, string[] commandLine, TextWriter output)
    {
        if (request != DeviceRequest.Cpu && LibTorchLocator.Find(libTorch, out _) is { } folder && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, commandLine) is { } childExit)
        {
            return childExit;
        }

        var (device, deviceError) = DeviceSelector.Select(request, libTorch, output.WriteLine);
        if (device is null) throw new UsageException(deviceError!);
        var quick = device.Device.type != TorchSharp.DeviceType.CUDA;
        Directory.CreateDirectory(outFolder);
        using var energy = NvmlEnergy.TryOpen(out _);
        output.WriteLine($"device {device.Description}; GC server={System.Runtime.GCSettings.IsServerGC}, latency={System.Runtime.GCSettings.LatencyMode}");

        var results = new List<GptProfileResult>();
        foreach (var batch in batches)
        {
            var spec = BenchCases.Gpt(text, "bf16", steps, quick);
            spec = spec with { Training = spec.Training with { BatchSize = batch } };
            results.Add(Measure(spec, device.Device, energy, warmup: 20));
            output.WriteLine($"batch {batch}: {results[^1].TokensPerSecond:N0} tokens/s, {results[^1].MsPerStep:0.00} ms/step, host {results[^1].HostMsPerStep:0.00} ms of {results[^1].WallMsPerStep:0.00}");
        }

        File.WriteAllText(Path.Combine(outFolder, "gpt-profile-torchsharp.json"), JsonSerializer.Serialize(results, ExperimentSpecJson.Options));
        var table = new Table().Title("GPT bf16 (TorchSharp)").AddColumns("batch", "tokens/s", "ms/step", "J/token", "MFU", "host ms", "wall ms", "fwd", "bwd", "rest");
        foreach (var p in results)
        {
            table.AddRow($"{p.Batch}", $"{p.TokensPerSecond:N0}", $"{p.MsPerStep:0.00}", $"{p.JoulesPerToken:0.######}", $"{p.Mfu:P1}", $"{p.HostMsPerStep:0.00}", $"{p.WallMsPerStep:0.00}", $"{p.ForwardMs:0.00}", $"{p.BackwardMs:0.00}", $"{p.RestMs:0.00}");
        }

        AnsiConsole.Write(table);
        return ExitCodes.Done;
    }

    private static GptProfileResult Measure(ExperimentSpec spec, TorchSharp.torch.Device device, NvmlEnergy? energy, int warmup)
    {
        var window = new BenchWindow(warmup, energy);
        var tokens = Train(spec, window, logEvery: 10, out var flopsPerExample);
        var profileSpec = spec with { Training = spec.Training with { Steps = warmup + 40 } };
        var host = new StepProfile(warmup, phases: false);
        Train(profileSpec, host, logEvery: 1_000_000, out _);
        var phases = new StepProfile(warmup, phases: true);
        Train(profileSpec, phases, logEvery: 1_000_000, out _);
        var examples = (double)window.Steps * spec.Training.BatchSize;
        return new GptProfileResult("torchsharp", spec.Training.BatchSize, window.Steps, examples * tokens / window.Seconds, 1000 * window.Seconds / window.Steps,
            window.Joules / (examples * tokens), 3 * flopsPerExample * examples / window.Seconds / PeakBf16FlopsPerSecond,
            1000 * host.Host / host.Steps, 1000 * host.Wall / host.Steps, 1000 * phases.Forward / phases.Steps, 1000 * phases.Backward / phases.Steps, 1000 * phases.Rest / phases.Steps);

        long Train(ExperimentSpec s, ITrainingObserver observer, int logEvery, out double flops)
        {
            using var state = TrainingSession.Prepare(s, device, RunOptions.DefaultCpuThreads);
            flops = ((Gpt)state.Network).ForwardFlopsPerExample;
            // The throughput window reads the loss back every 10 steps, as the PyTorch loop does; the profiles
            // read it only at the end, so no profiled step waits for the device but at its own boundaries.
            new TrainingLoop([observer], NullLogger.Instance) { LogEverySteps = logEvery }.Run(state);
            return s.Model.ContextLength;
        }
    }
}
