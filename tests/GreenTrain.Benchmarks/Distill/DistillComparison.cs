using System.Globalization;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The side-by-side figures: each run beside its workload's scratch student. Gap recovered = (distilled - scratch) /
/// (teacher - scratch) of the test metric (accuracy up, or loss down: the same formula); the target is >= 0.5.
/// </summary>
public static class DistillComparison
{
    public sealed record Row(DistillResult Result, double ParametersRatioToTeacher, double MetricVsScratch, double? GapRecovered,
        double JoulesRatioToScratch, double CpuSecondsRatioToScratch, long? TeacherForwardPasses, double? TeacherShareOfFlops);

    public static List<Row> Compare(List<DistillResult> results)
    {
        var rows = new List<Row>();
        foreach (var workload in results.GroupBy(r => r.Workload))
        {
            var teacher = workload.First(r => r.Role == "teacher");
            var scratch = workload.First(r => r.Role == "student, scratch");
            var gap = teacher.Metric - scratch.Metric;
            foreach (var r in workload)
            {
                rows.Add(new Row(r, (double)r.Parameters / teacher.Parameters, r.Metric - scratch.Metric,
                    r.Distillation is not null && gap != 0 ? (r.Metric - scratch.Metric) / gap : null,
                    r.Joules / scratch.Joules, r.CpuSeconds / scratch.CpuSeconds,
                    r.Distillation?["teacherForwardPasses"]?.GetValue<long>(), r.Distillation?["teacherShareOfTrainingFlops"]?.GetValue<double>()));
            }
        }
        return rows;
    }

    public static Table Table(List<Row> rows)
    {
        var table = new Table().Title("Knowledge distillation: teacher, student from scratch, student distilled (same seed, steps, data for both students)")
            .AddColumns("workload", "run", "parameters", "vs teacher", "steps", "test metric", "vs scratch", "gap recovered",
                "teacher passes", "teacher FLOP share", "J", "ratio", "CPU s", "ratio");
        foreach (var row in rows)
        {
            var r = row.Result;
            var accuracy = r.Workload == "cnn";
            table.AddRow(r.Workload, r.Role, F($"{r.Parameters:N0}"), F($"{row.ParametersRatioToTeacher:0.00}"), F($"{r.Steps}"),
                accuracy ? F($"acc {r.Metric:P2}") : F($"loss {r.Metric:0.0000}"),
                accuracy ? F($"{row.MetricVsScratch * 100:+0.00;-0.00;0.00} pt") : F($"{row.MetricVsScratch:+0.0000;-0.0000;0.0000}"),
                row.GapRecovered is { } g ? F($"{g:P0}") : "-",
                row.TeacherForwardPasses is { } p ? F($"{p}") : "-",
                row.TeacherShareOfFlops is { } s ? F($"{s:P0}") : "-",
                F($"{r.Joules:0}"), F($"{row.JoulesRatioToScratch:0.00}"), F($"{r.CpuSeconds:0}"), F($"{row.CpuSecondsRatioToScratch:0.00}"));
        }
        return table;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
