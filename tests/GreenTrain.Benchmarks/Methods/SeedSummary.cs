using System.Globalization;
using GreenTrain.Trainer.Methods.Quantization;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>One figure over seeds: its mean, sample standard deviation (n - 1; 0 for one seed) and range.</summary>
public sealed record Spread(double Mean, double StandardDeviation, double Min, double Max, int Count)
{
    /// <summary>The spread of the values; null when there are none (e.g. no seed reached the target).</summary>
    public static Spread? Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return null;
        var mean = list.Average();
        var deviation = list.Count < 2 ? 0 : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return new Spread(mean, deviation, list.Min(), list.Max(), list.Count);
    }
}

/// <summary>
/// One variant of one workload over seeds. Every change is paired: a seed's variant against the dense run (or the
/// post-training row of the same bit widths: int8 for fp32 rows, W4A8 for a W4A8 QAT) of the same seed, so the spread of a change is the spread of the paired differences, not
/// of the two means. The to-target figures cover only the seeds that reached the target (ReachedTarget of Seeds).
/// </summary>
public sealed record VariantSummary(string Workload, string Variant, int Seeds, Spread TestLoss, Spread? TestAccuracy, Spread MetricChange,
    Spread? MetricChangeVsPostTraining, int ReachedTarget, Spread? StepsToTarget, Spread? JoulesToTargetRatio, Spread? CpuSecondsToTargetRatio,
    Spread JoulesRatio, Spread CpuSecondsRatio, Spread SizeRatio);

/// <summary>The methods benchmark's summary over seeds (--seeds N): one row per variant with mean ± standard deviation.</summary>
public static class SeedSummary
{
    public static List<VariantSummary> Of(IReadOnlyList<(int Seed, List<MethodsBenchmark.Row> Rows)> runs)
    {
        var keys = runs.SelectMany(r => r.Rows).Select(r => (r.Result.Workload, r.Result.Variant)).Distinct().ToList();
        var summaries = new List<VariantSummary>();
        foreach (var (workload, variant) in keys)
        {
            var rows = runs.SelectMany(run => run.Rows.Where(r => r.Result.Workload == workload && r.Result.Variant == variant)
                .Select(row => (row, ptq: run.Rows.FirstOrDefault(p => p.Result.Workload == workload && p.Result.Variant == MethodRun.PostTrainingName(row.Result.Grid ?? QuantizationGrid.Int8))))).ToList();
            var reached = rows.Where(r => r.row.StepsToTarget is not null).Select(r => r.row).ToList();
            summaries.Add(new VariantSummary(workload, variant, rows.Count,
                Spread.Of(rows.Select(r => r.row.Result.TestLoss))!,
                Spread.Of(rows.Where(r => r.row.Result.TestAccuracy is not null).Select(r => r.row.Result.TestAccuracy!.Value)),
                Spread.Of(rows.Select(r => r.row.MetricChange))!,
                Spread.Of(rows.Where(r => r.ptq is not null).Select(r => r.row.Metric - r.ptq!.Metric)),
                reached.Count,
                Spread.Of(reached.Select(r => (double)r.StepsToTarget!.Value)),
                Spread.Of(reached.Where(r => r.JoulesToTargetRatio is not null).Select(r => r.JoulesToTargetRatio!.Value)),
                Spread.Of(reached.Where(r => r.CpuSecondsToTargetRatio is not null).Select(r => r.CpuSecondsToTargetRatio!.Value)),
                Spread.Of(rows.Select(r => r.row.JoulesRatio))!,
                Spread.Of(rows.Select(r => r.row.CpuSecondsRatio))!,
                Spread.Of(rows.Select(r => r.row.SizeRatio))!));
        }
        return summaries;
    }

    public static Table Table(List<VariantSummary> summaries, int seeds)
    {
        var table = new Table().Title(F($"Training methods over {seeds} seeds: mean ± standard deviation, each change paired with the same seed's run"))
            .AddColumns("workload", "variant", "seeds", "test accuracy", "test loss", "vs dense", "vs post-training (same bits)", "reached target",
                "steps to target", "J to target ratio", "CPU s to target ratio", "J whole run ratio", "CPU s whole run ratio", "bytes ratio");
        foreach (var s in summaries)
        {
            var accuracy = s.Workload == "cnn"; // the metric MethodsBenchmark compares: accuracy on the CNN, loss on the GPT
            string Change(Spread c) => accuracy ? F($"{c.Mean * 100:+0.00;-0.00;0.00} ± {c.StandardDeviation * 100:0.00} pt") : F($"{c.Mean:+0.0000;-0.0000;0.0000} ± {c.StandardDeviation:0.0000}");
            table.AddRow(s.Workload, s.Variant, F($"{s.Seeds}"),
                s.TestAccuracy is { } a ? F($"{a.Mean:P2} ± {a.StandardDeviation * 100:0.00} pt") : "-",
                F($"{s.TestLoss.Mean:0.0000} ± {s.TestLoss.StandardDeviation:0.0000}"),
                Change(s.MetricChange),
                s.MetricChangeVsPostTraining is { } p ? Change(p) : "-",
                F($"{s.ReachedTarget}/{s.Seeds}"),
                s.StepsToTarget is { } st ? F($"{st.Mean:0} ± {st.StandardDeviation:0}") : "-",
                Ratio(s.JoulesToTargetRatio), Ratio(s.CpuSecondsToTargetRatio), Ratio(s.JoulesRatio), Ratio(s.CpuSecondsRatio), Ratio(s.SizeRatio));
        }
        return table;
    }

    private static string Ratio(Spread? ratio) => ratio is { } r ? F($"{r.Mean:0.00} ± {r.StandardDeviation:0.00}") : "-";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
