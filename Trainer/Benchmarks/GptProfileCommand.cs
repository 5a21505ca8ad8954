using System.Text.Json;
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

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) options[args[i]] = args[i + 1];
        if (args.Length % 2 != 0 || !options.TryGetValue("--out", out var outFolder)) { error.WriteLine("error: usage: bench-gpt --out DIR [--device cuda|cpu] [--libtorch DIR] [--text PATH] [--batches 32,64] [--steps N]"); return 2; }
        var libTorch = options.GetValueOrDefault("--libtorch");
        var request = Enum.TryParse<DeviceRequest>(options.GetValueOrDefault("--device", "auto"), true, out var r) ? r : DeviceRequest.Auto;
        if (request != DeviceRequest.Cpu && LibTorchLocator.Find(libTorch, out _) is { } folder && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, ["bench-gpt", .. args]) is { } childExit)
        {
            return childExit;
        }

        var (device, deviceError) = DeviceSelector.Select(request, libTorch, output.WriteLine);
        if (device is null) { error.WriteLine($"error: {deviceError}"); return 2; }
        var text = options.GetValueOrDefault("--text", "/usr/share/games/fortunes");
        var batches = options.GetValueOrDefault("--batches", "32,64,128").Split(',').Select(int.Parse).ToArray();
        var steps = int.Parse(options.GetValueOrDefault("--steps", "220"));
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
        return 0;
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
            new TrainingLoop(TrainingSession.MethodsFor(s), [observer], NullLogger.Instance) { LogEverySteps = logEvery }.Run(state);
            return s.Model.ContextLength;
        }
    }
}
