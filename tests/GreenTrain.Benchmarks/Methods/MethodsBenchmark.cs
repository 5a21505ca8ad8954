using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>
/// `methods`: trains each workload dense and with each method (MethodVariants) in one run, on the same seed,
/// and prints side by side: the test metric and its difference to dense, the steps and measured energy to the
/// dense model's target (its final validation accuracy less one point, or its final validation loss plus 1 %),
/// the energy of the whole run (and this process's CPU seconds, which a shared machine does not inflate) and the
/// model's size on disk, each as a ratio to dense. With --seeds N the whole comparison repeats for N seeds, each
/// variant beside the dense run of its own seed, and SeedSummary adds each variant's mean and spread over seeds.
/// </summary>
public static class MethodsBenchmark
{
    public static async Task<int> RunAsync(MethodsArguments arguments)
    {
        if (await BenchmarkDevice.OpenAsync(arguments.Device, arguments.LibTorch) is not { } opened)
        {
            return 2;
        }
        var (choice, energy) = opened;
        var clock = Stopwatch.StartNew();
        var seeds = Enumerable.Range(arguments.Seed, arguments.Seeds).ToList();
        var results = seeds.ToDictionary(s => s, _ => new List<MethodResult>());
        foreach (var workload in arguments.Workloads.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ExperimentSpec Spec(int seed) => MethodVariants.InPrecision(workload == "cnn"
                ? MethodVariants.Cnn(arguments.FashionFolder, arguments.CnnSteps, arguments.CnnWidth, seed)
                : MethodVariants.Gpt(arguments.TextPath, arguments.GptSteps, arguments.GptWidth, arguments.GptDepth, seed), arguments.Precision);
            using var data = DataSetFactory.Open(Spec(arguments.Seed), choice.Device); // the splits do not depend on the seed: every seed trains and scores on the same data
            var keys = arguments.Variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var variants = MethodVariants.All.Where(v => v.Key == "dense" || keys.Contains(v.Key)).ToList();
            var postTrainingGrids = MethodVariants.PostTrainingGrids(variants);
            foreach (var seed in seeds)
            {
                var spec = Spec(seed);
                var label = arguments.Seeds > 1 ? F($"seed {seed} ") : "";
                foreach (var variant in variants)
                {
                    var run = MethodRun.Train(workload, MethodVariants.With(spec, variant), variant, data, choice.Device, energy, postTrainingGrids);
                    foreach (var r in run) Console.WriteLine(F($"{label}{workload} {r.Variant}: test loss {r.TestLoss:0.0000}, accuracy {r.TestAccuracy:P2}, {r.Joules:0} J, {r.Seconds:0} s, {r.CpuSeconds:0} CPU s, {r.ModelBytes:N0} bytes"));
                    results[seed].AddRange(run);
                }
            }
        }

        var runs = seeds.Select(s => (Seed: s, Rows: Compare(results[s]))).ToList();
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 280); // one line per row (the summary over seeds is the widest), also when redirected
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        if (arguments.Seeds == 1)
        {
            var rows = runs[0].Rows;
            AnsiConsole.Write(Table(rows, ""));
            await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
            {
                device = choice.Description, arguments.CnnSteps, arguments.CnnWidth, arguments.GptSteps, arguments.GptWidth, arguments.GptDepth, seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes, rows,
            }, ExperimentSpecJson.Options));
        }
        else
        {
            foreach (var (seed, rows) in runs) AnsiConsole.Write(Table(rows, F($", seed {seed}")));
            var summary = SeedSummary.Of(runs);
            AnsiConsole.Write(SeedSummary.Table(summary, arguments.Seeds));
            await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
            {
                device = choice.Description, arguments.CnnSteps, arguments.CnnWidth, arguments.GptSteps, arguments.GptWidth, arguments.GptDepth, seeds, seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes,
                summary, runs = runs.Select(r => new { seed = r.Seed, rows = r.Rows }),
            }, ExperimentSpecJson.Options));
        }
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>One row of the comparison: a result with its differences and ratios to the dense run of its workload.</summary>
    public sealed record Row(MethodResult Result, double Metric, double MetricChange, double Target, long? StepsToTarget, double? JoulesToTarget,
        double? JoulesToTargetRatio, double? CpuSecondsToTarget, double? CpuSecondsToTargetRatio, double JoulesRatio, double CpuSecondsRatio, double SizeRatio);

    private static List<Row> Compare(List<MethodResult> results)
    {
        var rows = new List<Row>();
        foreach (var workload in results.GroupBy(r => r.Workload))
        {
            var dense = workload.First(r => r.Variant == "dense");
            var accuracy = dense.TestAccuracy is not null && workload.Key == "cnn";
            double Metric(MethodResult r) => accuracy ? r.TestAccuracy!.Value : r.TestLoss;
            var finalValidation = dense.Evaluations[^1].Metric;
            var target = accuracy ? finalValidation - 0.01 : finalValidation * 1.01;
            bool Reached(double m) => accuracy ? m >= target : m <= target;
            var denseToTarget = dense.Evaluations.First(e => Reached(e.Metric)); // its last evaluation always does
            foreach (var r in workload)
            {
                var first = r.Evaluations.FirstOrDefault(e => Reached(e.Metric));
                rows.Add(new Row(r, Metric(r), Metric(r) - Metric(dense), target, first?.Step, first?.Joules,
                    first is { } f && denseToTarget.Joules > 0 ? f.Joules / denseToTarget.Joules : null,
                    first?.CpuSeconds, first is { } c && denseToTarget.CpuSeconds > 0 ? c.CpuSeconds / denseToTarget.CpuSeconds : null,
                    r.Joules / dense.Joules, r.CpuSeconds / dense.CpuSeconds, (double)r.ModelBytes / dense.ModelBytes));
            }
        }
        return rows;
    }

    private static Table Table(List<Row> rows, string titleSuffix)
    {
        var table = new Table().Title($"Training methods: each beside the dense run of its workload (same seed, steps, schedule){titleSuffix}")
            .AddColumns("workload", "variant", "test metric", "vs dense", "sparsity", "steps to target", "J to target", "ratio", "CPU s to target", "ratio",
                "J whole run", "ratio", "CPU s whole run", "ratio", "bytes on disk", "ratio");
        foreach (var row in rows)
        {
            var r = row.Result;
            var accuracy = r.Workload == "cnn";
            table.AddRow(r.Workload, r.Variant,
                accuracy ? F($"acc {row.Metric:P2}") : F($"loss {row.Metric:0.0000}"),
                accuracy ? F($"{row.MetricChange * 100:+0.00;-0.00;0.00} pt") : F($"{row.MetricChange:+0.0000;-0.0000;0.0000}"),
                r.Sparsity is { } s ? F($"{s:P1}") : "-",
                row.StepsToTarget is { } st ? F($"{st}") : "not reached",
                row.JoulesToTarget is { } j ? F($"{j:0}") : "-",
                row.JoulesToTargetRatio is { } jr ? F($"{jr:0.00}") : "-",
                row.CpuSecondsToTarget is { } cs ? F($"{cs:0}") : "-",
                row.CpuSecondsToTargetRatio is { } cr ? F($"{cr:0.00}") : "-",
                F($"{r.Joules:0}"), F($"{row.JoulesRatio:0.00}"), F($"{r.CpuSeconds:0}"), F($"{row.CpuSecondsRatio:0.00}"),
                F($"{r.ModelBytes:N0}"), F($"{row.SizeRatio:0.00}"));
        }
        return table;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
