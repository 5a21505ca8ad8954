using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;
using Spectre.Console;
using TorchSharp;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>
/// `moe`: trains the MoE GPT and its dense baselines (MoeVariants) one after another in one process on the same corpus
/// and seed, and prints side by side: validation loss at equal tokens (each run's final evaluation, same steps and
/// batch) and at the MoE's measured spend, both in joules (this machine's best energy source) and in this process's
/// CPU seconds (which other processes on a shared machine do not inflate), read off each run's evaluations by linear
/// interpolation; and tokens/s and J/token. Then, when asked, the fair equal-spend point: dense of equal active
/// parameters trained with its own schedule for the steps the MoE's spend buys it (MoeVariants.EqualSpend).
/// </summary>
public static class MoeBenchmark
{
    public static async Task<int> RunAsync(MoeArguments arguments)
    {
        var keys = arguments.Variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (keys.Except(MoeVariants.KnownKeys.Split(',')).ToList() is [_, ..] unknown)
        {
            await Console.Error.WriteLineAsync($"error: unknown --variants {string.Join(", ", unknown)} (known: {MoeVariants.KnownKeys})");
            return 2;
        }
        keys.Add("moe"); // the baseline every figure is relative to
        if (keys.Contains(MoeVariants.EqualSpendKey)) keys.Add("dense-active"); // its measured step cost sizes the equal-spend run
        if (await BenchmarkDevice.OpenAsync(arguments.Device, arguments.LibTorch) is not { } opened)
        {
            return 2;
        }
        var (choice, energy) = opened;
        var clock = Stopwatch.StartNew();
        var variants = MoeVariants.All(arguments).Where(v => keys.Contains(v.Key)).ToList();
        using var data = DataSetFactory.Open(variants[0].Spec, choice.Device);
        var results = new List<MoeResult>();
        void Train(MoeVariant variant)
        {
            var r = MoeRun.Train(variant, data, choice.Device, energy);
            Console.WriteLine(F($"{r.Name}: width {r.Width}, {r.Steps} steps, validation loss {r.FinalValidationLoss:0.0000}, {r.Joules:0} J ({r.GpuJoules:0} GPU), {r.CpuSeconds:0} CPU s, {r.Seconds:0} s, {r.TokensPerSecond:0} tokens/s"));
            results.Add(r);
        }
        foreach (var variant in variants) Train(variant);

        var spend = MoeSpend.For(choice.Device.type == DeviceType.CUDA);
        int? equalSpendSteps = null;
        if (keys.Contains(MoeVariants.EqualSpendKey))
        {
            var (moeRun, denseRun) = (results[0], results.Single(r => r.Key == "dense-active"));
            equalSpendSteps = MoeVariants.EqualSpendSteps(moeRun.Steps, spend.PerStep(moeRun), spend.PerStep(denseRun));
            Console.WriteLine(F($"equal spend ({spend.Name}): MoE {spend.PerStep(moeRun):0.000000}/step, dense {spend.PerStep(denseRun):0.000000}/step: dense trains {equalSpendSteps} steps with its own schedule"));
            Train(MoeVariants.EqualSpend(arguments, equalSpendSteps.Value));
        }

        var rows = MoeComparison.Rows(results);
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        AnsiConsole.Write(MoeComparison.Table(rows));
        var moe = results[0];
        var verdict = MoeComparison.Verdict(rows, spend);
        foreach (var line in verdict) Console.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
        {
            device = choice.Description, arguments.Steps, arguments.Width, arguments.Experts, arguments.TopK, arguments.CapacityFactor,
            arguments.Batch, arguments.Context, arguments.Depth, variants = keys.Order(),
            seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes, moeJoules = moe.Joules, moeCpuSeconds = moe.CpuSeconds,
            equalSpend = new { measure = spend.Name, steps = equalSpendSteps }, rows, verdict,
        }, ExperimentSpecJson.Options));
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
