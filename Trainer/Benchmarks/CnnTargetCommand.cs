using System.CommandLine;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// `bench-cnn --out DIR [--device cuda] [--fashion DIR] [--seeds 3] [--eval-every 50]`: energy and time for the
/// benchmark CNN (BenchCases.Cnn: batch 256, AdamW 2e-3, warm-up 100, cosine over 2,110 steps) to reach 91 % test
/// accuracy, per seed, in tf32 and bf16. One run per seed because a single run's step to target moves by a few
/// hundred steps between seeds; evaluating every 50 steps keeps the overshoot small. cnn_target.py is its PyTorch peer.
/// </summary>
public static class CnnTargetCommand
{
    public sealed record CnnTargetResult(string Framework, string Setting, int Seed, bool Reached, long Steps, double Seconds, double? Joules, double? Accuracy);

    public static Command Create()
    {
        var outFolder = CliOptions.Folder("--out", "folder for cnn-target-torchsharp.json");
        var device = CliOptions.Device(DeviceRequest.Auto);
        var libTorch = new Option<string?>("--libtorch") { Description = "folder of an external LibTorch for CUDA (default: found with python3)", HelpName = "DIR" };
        var fashion = new Option<string>("--fashion") { Description = "Fashion-MNIST folder", HelpName = "DIR", DefaultValueFactory = _ => FashionMnistData.DefaultFolder };
        var seeds = CliOptions.Int("--seeds", "runs per setting, seeds 1..N", 3);
        var evalEvery = CliOptions.Int("--eval-every", "steps between test-set evaluations", 50);
        var steps = CliOptions.Int("--steps", "the schedule's length (training stops at the target)", 2110, min: 100);
        var command = new Command("bench-cnn", "Energy and time for the benchmark CNN to reach 91% Fashion-MNIST test accuracy, per seed, in tf32 and bf16.")
        {
            outFolder, device, libTorch, fashion, seeds, evalEvery, steps,
        };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(outFolder).FullName, parsed.GetValue(device), parsed.GetValue(libTorch), parsed.GetValue(fashion)!,
            parsed.GetValue(seeds), parsed.GetValue(evalEvery), parsed.GetValue(steps), parsed.Tokens.Select(t => t.Value).ToArray(), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string outFolder, DeviceRequest request, string? libTorch, string fashion, int seeds, int evalEvery, int steps, string[] commandLine, TextWriter output)
    {
        if (request != DeviceRequest.Cpu && LibTorchLocator.Find(libTorch, out _) is { } folder && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, commandLine) is { } childExit)
        {
            return childExit;
        }

        var (device, deviceError) = DeviceSelector.Select(request, libTorch, output.WriteLine);
        if (device is null) throw new UsageException(deviceError!);
        Directory.CreateDirectory(outFolder);
        using var energy = NvmlEnergy.TryOpen(out _);
        var target = new TargetSpec { Metric = MetricKind.Accuracy, Value = BenchCommand.Target };

        // Warm-up, not recorded: the CUDA context and cuDNN's algorithm choices, as cnn_target.py does.
        BenchCommand.TrainToTarget(BenchCases.Cnn(fashion, "tf32", steps: 50, batch: 256, target, evalEvery: 50), "tf32", device.Device, energy);
        var rows = new List<CnnTargetResult>();
        foreach (var setting in new[] { "tf32", "bf16" })
        {
            for (var seed = 1; seed <= seeds; seed++)
            {
                var spec = BenchCases.Cnn(fashion, setting, steps, batch: 256, target, evalEvery);
                spec = spec with { Training = spec.Training with { Seed = seed } };
                var r = BenchCommand.TrainToTarget(spec, setting, device.Device, energy);
                rows.Add(new CnnTargetResult("torchsharp", setting, seed, r.Reached, r.Steps, r.Seconds, r.Joules, r.Accuracy));
                output.WriteLine($"torchsharp {setting} seed {seed}: reached {r.Reached} at step {r.Steps} in {r.Seconds:0.00} s, {r.Joules:0} J");
            }
        }

        File.WriteAllText(Path.Combine(outFolder, "cnn-target-torchsharp.json"), JsonSerializer.Serialize(rows, ExperimentSpecJson.Options));
        return ExitCodes.Done;
    }
}
