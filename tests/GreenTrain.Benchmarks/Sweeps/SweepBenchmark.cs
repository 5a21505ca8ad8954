using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Scheduler.Sweeps;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Cli;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Sweeps;

/// <summary>One search in the comparison, beside the grid of the same workload.</summary>
public sealed record SweepRow(string Workload, string Algorithm, int Seed, int Configurations, int Segments, long Steps, double Joules, double CpuSeconds,
    string BestTrial, string BestConfiguration, double? BestValidation, double? BestTest, double StepsVsGrid, double JoulesVsGrid, double CpuVsGrid,
    double TestPointsVsGrid, bool MeetsTarget, double Seconds);

/// <summary>
/// `sweeps`: per workload, the grid of 27 configurations (every trial to the full resource), then successive halving,
/// ASHA and Hyperband (eta 3, first rung 1/27 of a full trial) for each seed, all through the Scheduler's SweepDriver
/// and algorithms; prints each search's chosen model's test accuracy and its energy, CPU seconds and steps as ratios to
/// the grid's. Target (issue 17): within 0.5 point of the grid's test accuracy for at most 20 % of its energy.
/// </summary>
public static class SweepBenchmark
{
    public static async Task<int> RunAsync(SweepBenchmarkArguments arguments)
    {
        if (await BenchmarkDevice.OpenAsync(arguments.Device, arguments.LibTorch) is not { } opened)
        {
            return 2;
        }
        var (choice, energy) = opened;
        Console.WriteLine($"{arguments.Threads} LibTorch CPU thread(s); intermediate rungs score {(arguments.RungEvalBatches is { } n ? $"the first {n} validation batch(es)" : "as the workload does")}");
        var clock = Stopwatch.StartNew();
        var rows = new List<SweepRow>();
        var emissions = new EmissionFactors(arguments.Intensity);
        foreach (var workload in arguments.Workloads)
        {
            // The grid's trials run only full-resource segments, which --rung-eval-batches leaves alone: the reference is unchanged.
            SweepSpec SpecFor(AlgorithmSpec algorithm) => SweepWorkloads.WithRungEvalBatches(workload == "digits"
                ? SweepWorkloads.Digits(arguments.DigitsSteps, arguments.DigitsSteps / 27, algorithm)
                : SweepWorkloads.FashionCnn(arguments.FashionFolder, arguments.CnnSteps, arguments.CnnSteps / 27, algorithm), arguments.RungEvalBatches);
            var probe = TrialSpecs.Build(SpecFor(new AlgorithmSpec(AlgorithmKind.Grid)), new SearchSpace(SpecFor(new AlgorithmSpec()).Space).Grid()[0]);
            if (!probe.IsValid) throw new InvalidOperationException(string.Join("; ", probe.Errors));
            using var data = DataSetFactory.Open(probe.Spec!, choice.Device);

            SweepRow? grid = null;
            var runs = new List<(AlgorithmKind Kind, int Seed)> { (AlgorithmKind.Grid, 0) };
            foreach (var seed in Enumerable.Range(1, arguments.Seeds))
            {
                runs.AddRange([(AlgorithmKind.SuccessiveHalving, seed), (AlgorithmKind.Asha, seed), (AlgorithmKind.Hyperband, seed)]);
            }
            foreach (var (kind, seed) in runs)
            {
                var spec = SpecFor(new AlgorithmSpec(kind, 3, Trials: 27, Seed: seed));
                var runner = new InProcessTrialRunner(data, choice.Device, energy, arguments.Threads);
                var started = Stopwatch.StartNew();
                var outcome = new SweepDriver(spec, runner, emissions, arguments.Verbose ? Console.WriteLine : null).Run();
                var report = SweepReport.Build(outcome, emissions);
                var row = Row(workload, kind, seed, outcome, report, runner.CpuSeconds, grid, started.Elapsed.TotalSeconds);
                grid ??= row;
                rows.Add(row);
                Console.WriteLine(F($"{workload} {kind} seed {seed}: best {row.BestConfiguration} test {row.BestTest:P2} ({row.TestPointsVsGrid:+0.00;-0.00} pt), ")
                    + F($"{row.Steps} steps ({row.StepsVsGrid:P1} of grid), {row.Joules:0} J ({row.JoulesVsGrid:P1}), {row.CpuSeconds:0.0} CPU s ({row.CpuVsGrid:P1}), {row.Seconds:0} s"));
                if (arguments.ReportFolder is { } folder)
                {
                    Directory.CreateDirectory(folder);
                    await File.WriteAllTextAsync(Path.Combine(folder, $"{workload}-{kind}-{seed}.json"), report.ToJson());
                }
            }
        }

        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        AnsiConsole.Write(Table(rows));
        var summary = rows.Where(r => r.Algorithm != "Grid").GroupBy(r => (r.Workload, r.Algorithm)).Select(g => new
        {
            g.Key.Workload, g.Key.Algorithm, Seeds = g.Count(), MeanTestPointsVsGrid = g.Average(r => r.TestPointsVsGrid), WorstTestPointsVsGrid = g.Min(r => r.TestPointsVsGrid),
            MeanJoulesVsGrid = g.Average(r => r.JoulesVsGrid), MeanStepsVsGrid = g.Average(r => r.StepsVsGrid), MeanCpuVsGrid = g.Average(r => r.CpuVsGrid),
            TargetMetInSeeds = g.Count(r => r.MeetsTarget),
        }).ToList();
        foreach (var s in summary)
        {
            Console.WriteLine(F($"{s.Workload} {s.Algorithm}: test {s.MeanTestPointsVsGrid:+0.00;-0.00} pt vs grid (worst {s.WorstTestPointsVsGrid:+0.00;-0.00}), energy {s.MeanJoulesVsGrid:P1}, steps {s.MeanStepsVsGrid:P1}, CPU s {s.MeanCpuVsGrid:P1}; target met in {s.TargetMetInSeeds}/{s.Seeds} seeds"));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
        {
            device = choice.Description, arguments.DigitsSteps, arguments.CnnSteps, arguments.RungEvalBatches, arguments.Seeds, arguments.Threads, eta = 3, configurations = 27, firstRung = "1/27 of a full trial",
            energySources = energy.Notes, seconds = clock.Elapsed.TotalSeconds, summary, rows,
        }, new JsonSerializerOptions(ExperimentSpecJson.Options) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    private static SweepRow Row(string workload, AlgorithmKind kind, int seed, SweepOutcome outcome, SweepReport report, double cpuSeconds, SweepRow? grid, double seconds)
    {
        var best = report.Best;
        var joules = report.TotalKwh * 3.6e6;
        var test = best?.TestAccuracy;
        double Ratio(double value, double? reference) => reference is > 0 ? value / reference.Value : 1;
        var points = grid?.BestTest is { } g && test is { } t ? (t - g) * 100 : 0;
        var row = new SweepRow(workload, kind.ToString(), seed, outcome.Trials.Count, outcome.Segments, report.TotalSteps, joules, cpuSeconds,
            best?.TrialId ?? "-", best is null ? "-" : best.Values.First().Value + "/" + string.Join("/", best.Values.Skip(1).Select(v => v.Value?.ToJsonString())),
            best?.Metric, test, Ratio(report.TotalSteps, grid?.Steps), Ratio(joules, grid?.Joules), Ratio(cpuSeconds, grid?.CpuSeconds), points, false, seconds);
        return row with { MeetsTarget = grid is not null && points >= -0.5 && row.JoulesVsGrid <= 0.2 };
    }

    private static Table Table(List<SweepRow> rows)
    {
        var table = new Table().AddColumns("workload", "search", "seed", "configs", "segments", "steps", "steps/grid", "J", "J/grid", "CPU s", "CPU/grid",
            "chosen (lr/width/depth)", "val acc", "test acc", "test vs grid", "target");
        foreach (var r in rows)
        {
            table.AddRow(r.Workload, r.Algorithm, r.Seed.ToString(CultureInfo.InvariantCulture), F($"{r.Configurations}"), F($"{r.Segments}"), F($"{r.Steps}"),
                F($"{r.StepsVsGrid:P1}"), F($"{r.Joules:0}"), F($"{r.JoulesVsGrid:P1}"), F($"{r.CpuSeconds:0.0}"), F($"{r.CpuVsGrid:P1}"), r.BestConfiguration,
                F($"{r.BestValidation:P2}"), F($"{r.BestTest:P2}"), F($"{r.TestPointsVsGrid:+0.00;-0.00} pt"), r.Algorithm == "Grid" ? "reference" : r.MeetsTarget ? "met" : "not met");
        }
        return table;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

public sealed record SweepBenchmarkArguments(IReadOnlyList<string> Workloads, int Seeds, int DigitsSteps, int CnnSteps, int Threads, string FashionFolder,
    double Intensity, string Output, string? ReportFolder, bool Verbose, DeviceRequest Device, string? LibTorch,
    int? RungEvalBatches = null);
