using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>The benchmark's settings; the defaults finish in well under a minute on two cores.</summary>
/// <param name="SimulatedGpuReadMs">overhead only: add a stand-in GPU whose reads block this long (0: none), for machines without one.</param>
public sealed record BenchArguments(int Steps = 400, int Size = 160, int Windows = 6, double Seconds = 10, string Out = "bench-results", double SimulatedGpuReadMs = 0);

/// <summary>The two verbs, `overhead` and `gpu-check`, each with only the options it reads.</summary>
public static class BenchCommands
{
    public static RootCommand Create()
    {
        var defaults = new BenchArguments();
        var root = new RootCommand("The energy meter's overhead benchmark and the GPU agreement run.");

        var steps = CliOptions.Int("--steps", "synthetic training steps per measured side", defaults.Steps);
        var size = CliOptions.Int("--size", "the synthetic step's matrix size", defaults.Size);
        var simulate = CliOptions.Number("--simulate-gpu-read-ms", "add a stand-in GPU whose reads block this long (0: none)", 0, 0, 10_000);
        var overheadOut = Out(defaults.Out);
        var overhead = new Command("overhead", "Time training steps with and without the energy meter's window boundaries; writes energy-overhead.csv.")
        {
            steps, size, simulate, overheadOut,
        };
        overhead.SetAction(p => OverheadBenchmark.Run(defaults with
        {
            Steps = p.GetValue(steps), Size = p.GetValue(size), SimulatedGpuReadMs = p.GetValue(simulate), Out = p.GetValue(overheadOut)!,
        }));

        var windows = CliOptions.Int("--windows", "energy windows to read", defaults.Windows, min: 2);
        var seconds = CliOptions.Number("--seconds", "length of each window in seconds", defaults.Seconds, 0.1, 3600);
        var checkOut = Out(defaults.Out);
        var gpuCheck = new Command("gpu-check", "Read NVML's counter in windows and check they agree with its power samples (needs a GPU).")
        {
            windows, seconds, checkOut,
        };
        gpuCheck.SetAction(p => GpuCheck.Run(defaults with { Windows = p.GetValue(windows), Seconds = p.GetValue(seconds), Out = p.GetValue(checkOut)! }));

        root.Subcommands.Add(overhead);
        root.Subcommands.Add(gpuCheck);
        return root;
    }

    private static Option<string> Out(string fallback) =>
        new("--out") { Description = "results folder", HelpName = "DIR", DefaultValueFactory = _ => fallback };
}
