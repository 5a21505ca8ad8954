using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>
/// `moe`: trains the MoE GPT and its dense baselines (MoeVariants) one after another in one process on the same corpus
/// and seed, and prints side by side: validation loss at equal tokens (each run's final evaluation, same steps and
/// batch) and at the MoE's measured spend, both in joules (this machine's best energy source) and in this process's
/// CPU seconds (which other processes on a shared machine do not inflate), read off each run's evaluations by linear
/// interpolation; and tokens/s and J/token.
/// </summary>
public static class MoeBenchmark
{
    public static async Task<int> RunAsync(MoeArguments arguments)
    {
        if (await BenchmarkDevice.OpenAsync(arguments.Device, arguments.LibTorch) is not { } opened)
        {
            return 2;
        }
        var (choice, energy) = opened;
        var clock = Stopwatch.StartNew();
        var variants = MoeVariants.All(arguments);
        using var data = DataSetFactory.Open(variants[0].Spec, choice.Device);
        var results = new List<MoeResult>();
        foreach (var variant in variants)
        {
            var r = MoeRun.Train(variant, data, choice.Device, energy);
            Console.WriteLine(F($"{r.Name}: width {r.Width}, {r.Steps} steps, validation loss {r.FinalValidationLoss:0.0000}, {r.Joules:0} J, {r.CpuSeconds:0} CPU s, {r.Seconds:0} s, {r.TokensPerSecond:0} tokens/s"));
            results.Add(r);
        }

        var rows = MoeComparison.Rows(results);
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        AnsiConsole.Write(MoeComparison.Table(rows));
        var moe = results[0];
        foreach (var line in MoeComparison.Verdict(rows)) Console.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
        {
            device = choice.Description, arguments.Steps, arguments.Width, arguments.Experts, arguments.TopK, arguments.CapacityFactor,
            seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes, moeJoules = moe.Joules, moeCpuSeconds = moe.CpuSeconds,
            rows, verdict = MoeComparison.Verdict(rows),
        }, ExperimentSpecJson.Options));
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
