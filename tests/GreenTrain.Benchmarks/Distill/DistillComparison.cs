using System.Globalization;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The figures side by side: the grid on the validation split (what chose the setting), each seed's scratch and distilled
/// students on the test split with the share of the gap recovered, and per workload the mean and spread over seeds
/// against the target (>= 0.5). Energy and CPU seconds are each run's own; the distilled runs' include their
/// teacher forward passes, the teacher's own training is its row.
/// </summary>
public static class DistillComparison
{
    public const string Teacher = "teacher";
    public const string Scratch = "student, scratch";
    public const string GridRun = "student, distilled (grid)";
    public const string Distilled = "student, distilled";

    public sealed record GridRow(string Workload, string Setting, double ValidationMetric, double? ValidationGapRecovered, bool Chosen);

    public sealed record SeedRow(string Workload, int Seed, string Setting, double Scratch, double Distilled, double? GapRecovered,
        double ScratchJoules, double DistilledJoules, double ScratchCpuSeconds, double DistilledCpuSeconds, long? TeacherForwardPasses, double? TeacherShareOfFlops);

    public sealed record Summary(string Workload, long TeacherParameters, long StudentParameters, string Setting, double Teacher,
        double ScratchMean, double ScratchSpread, double DistilledMean, double DistilledSpread, double GapMean, double GapSpread, double GapMin, double GapMax,
        double GapOfMeans, bool TargetMet, double TeacherJoules, double TeacherCpuSeconds, double ScratchCpuSeconds, double DistilledCpuSeconds,
        double ScratchJoules, double DistilledJoules);

    public sealed record Report(List<Summary> Summaries, List<SeedRow> Seeds, List<GridRow> Grid);

    public static Report Compare(IReadOnlyList<DistillResult> results)
    {
        var report = new Report([], [], []);
        foreach (var workload in results.GroupBy(r => r.Workload))
        {
            var teacher = workload.Single(r => r.Role == Teacher);
            var grid = workload.Where(r => r.Role == GridRun).ToList();
            var chosen = DistillSelection.Choose(grid);
            var firstScratch = workload.First(r => r.Role == Scratch && r.Seed == chosen.Seed);
            report.Grid.AddRange(grid.Select(g => new GridRow(workload.Key, g.Setting!.ToString(), g.ValidationMetric,
                DistillSelection.GapRecovered(workload.Key, teacher.ValidationMetric, firstScratch.ValidationMetric, g.ValidationMetric), ReferenceEquals(g, chosen))));

            var seeds = new List<SeedRow>();
            foreach (var scratch in workload.Where(r => r.Role == Scratch))
            {
                var distilled = scratch.Seed == chosen.Seed ? chosen : workload.Single(r => r.Role == Distilled && r.Seed == scratch.Seed);
                seeds.Add(new SeedRow(workload.Key, scratch.Seed, distilled.Setting!.ToString(), scratch.Metric, distilled.Metric,
                    DistillSelection.GapRecovered(workload.Key, teacher.Metric, scratch.Metric, distilled.Metric), scratch.Joules, distilled.Joules,
                    scratch.CpuSeconds, distilled.CpuSeconds, distilled.Distillation?["teacherForwardPasses"]?.GetValue<long>(),
                    distilled.Distillation?["teacherShareOfTrainingFlops"]?.GetValue<double>()));
            }
            report.Seeds.AddRange(seeds);

            var gaps = seeds.Where(s => s.GapRecovered is not null).Select(s => s.GapRecovered!.Value).ToList();
            var (scratchMean, scratchSpread) = DistillSelection.MeanAndSpread(seeds.Select(s => s.Scratch).ToList());
            var (distilledMean, distilledSpread) = DistillSelection.MeanAndSpread(seeds.Select(s => s.Distilled).ToList());
            var (gapMean, gapSpread) = DistillSelection.MeanAndSpread(gaps);
            report.Summaries.Add(new Summary(workload.Key, teacher.Parameters, firstScratch.Parameters, chosen.Setting!.ToString(), teacher.Metric,
                scratchMean, scratchSpread, distilledMean, distilledSpread, gapMean, gapSpread, gaps.DefaultIfEmpty(double.NaN).Min(), gaps.DefaultIfEmpty(double.NaN).Max(),
                DistillSelection.GapRecovered(workload.Key, teacher.Metric, scratchMean, distilledMean) ?? double.NaN, gapMean >= 0.5,
                teacher.Joules, teacher.CpuSeconds, seeds.Average(s => s.ScratchCpuSeconds), seeds.Average(s => s.DistilledCpuSeconds),
                seeds.Average(s => s.ScratchJoules), seeds.Average(s => s.DistilledJoules)));
        }
        return report;
    }

    public static IEnumerable<Table> Tables(Report report)
    {
        var grid = new Table().Title("Distillation settings at the first seed, on the whole validation split (the test split plays no part in the choice)")
            .AddColumns("workload", "setting", "validation metric", "validation gap recovered", "chosen");
        foreach (var g in report.Grid)
            grid.AddRow(g.Workload, g.Setting, Metric(g.Workload, g.ValidationMetric), Share(g.ValidationGapRecovered), g.Chosen ? "yes" : "");

        var seeds = new Table().Title("Each seed on the test split: scratch and distilled students (same initial weights and data order)")
            .AddColumns("workload", "seed", "setting", "scratch", "distilled", "gap recovered", "teacher passes", "teacher FLOP share",
                "J scratch", "J distilled", "CPU s scratch", "CPU s distilled");
        foreach (var s in report.Seeds)
        {
            seeds.AddRow(s.Workload, F($"{s.Seed}"), s.Setting, Metric(s.Workload, s.Scratch), Metric(s.Workload, s.Distilled), Share(s.GapRecovered),
                s.TeacherForwardPasses is { } p ? F($"{p}") : "-", s.TeacherShareOfFlops is { } f ? F($"{f:P0}") : "-",
                F($"{s.ScratchJoules:0}"), F($"{s.DistilledJoules:0}"), F($"{s.ScratchCpuSeconds:0}"), F($"{s.DistilledCpuSeconds:0}"));
        }

        var summary = new Table().Title("Knowledge distillation over seeds (test split; mean +- sample standard deviation)")
            .AddColumns("workload", "teacher / student parameters", "setting", "teacher", "scratch", "distilled", "gap recovered", "min..max",
                "gap of means", "target >= 50 %", "teacher training CPU s (J)", "CPU s scratch / distilled", "J scratch / distilled");
        foreach (var s in report.Summaries)
        {
            summary.AddRow(s.Workload, F($"{s.TeacherParameters:N0} / {s.StudentParameters:N0}"), s.Setting, Metric(s.Workload, s.Teacher),
                Spread(s.Workload, s.ScratchMean, s.ScratchSpread), Spread(s.Workload, s.DistilledMean, s.DistilledSpread),
                F($"{s.GapMean:P0} +- {s.GapSpread:P0}"), F($"{s.GapMin:P0}..{s.GapMax:P0}"), F($"{s.GapOfMeans:P0}"), s.TargetMet ? "met" : "missed",
                F($"{s.TeacherCpuSeconds:0} ({s.TeacherJoules:0})"), F($"{s.ScratchCpuSeconds:0} / {s.DistilledCpuSeconds:0}"), F($"{s.ScratchJoules:0} / {s.DistilledJoules:0}"));
        }
        return [grid, seeds, summary];
    }

    private static string Metric(string workload, double value) =>
        DistillSelection.HigherIsBetter(workload) ? F($"acc {value:P2}") : F($"loss {value:0.0000}");

    private static string Spread(string workload, double mean, double spread) =>
        DistillSelection.HigherIsBetter(workload) ? F($"{mean:P2} +- {spread * 100:0.00} pt") : F($"{mean:0.0000} +- {spread:0.0000}");

    private static string Share(double? value) => value is { } v ? F($"{v:P0}") : "-";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
