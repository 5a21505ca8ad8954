using System.Globalization;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>The side-by-side figures of the MoE benchmark: each run against the MoE's tokens, joules and CPU seconds.</summary>
public static class MoeComparison
{
    /// <param name="LossAtMoeJoules">Validation loss where this run had spent the MoE run's joules (null: its curve does not reach them).</param>
    /// <param name="LossAtMoeCpuSeconds">The same at the MoE run's CPU seconds.</param>
    public sealed record Row(MoeResult Result, double? LossAtMoeJoules, double? LossAtMoeCpuSeconds, double JoulesPerTokenRatio, double TokensPerSecondRatio);

    public static List<Row> Rows(IReadOnlyList<MoeResult> results)
    {
        var moe = results[0];
        return [.. results.Select(r => new Row(r,
            EqualEnergy.LossAt(r.Evaluations, moe.Joules, e => e.Joules),
            EqualEnergy.LossAt(r.Evaluations, moe.CpuSeconds, e => e.CpuSeconds),
            r.JoulesPerToken / moe.JoulesPerToken, r.TokensPerSecond / moe.TokensPerSecond))];
    }

    /// <summary>
    /// The issue's target: the MoE's loss below dense-with-equal-active-parameters at equal energy, read off the curve of
    /// whichever dense run reaches the MoE's spend (the 2x run's schedule flatters dense), and, when it ran, against the
    /// equal-spend run's final loss (its own schedule ends at the MoE's <paramref name="spend"/>: the fair point).
    /// </summary>
    public static List<string> Verdict(IReadOnlyList<Row> rows, MoeSpend spend)
    {
        var moe = rows[0].Result;
        var lines = new List<string>();
        foreach (var (measure, pick) in new (string, Func<Row, double?>)[] { ("joules", r => r.LossAtMoeJoules), ("CPU seconds", r => r.LossAtMoeCpuSeconds) })
        {
            var dense = rows.Where(r => r.Result.Key is "dense-active" or "dense-active-2x").Select(pick).FirstOrDefault(l => l is not null);
            lines.Add(dense is { } d
                ? F($"at equal {measure}: MoE {moe.FinalValidationLoss:0.0000} vs dense equal active {d:0.0000}: target {(moe.FinalValidationLoss < d ? "met" : "not met")}")
                : F($"at equal {measure}: no dense equal-active curve reaches the MoE's spend: target not measured"));
        }
        if (rows.FirstOrDefault(r => r.Result.Key == MoeVariants.EqualSpendKey)?.Result is { } fair)
        {
            lines.Add(F($"at equal {spend.Name}, each run with its own schedule: MoE {moe.FinalValidationLoss:0.0000} ({spend.Of(moe):0.0}) vs dense equal active, {fair.Steps} steps, {fair.FinalValidationLoss:0.0000} ({spend.Of(fair):0.0}): target {(moe.FinalValidationLoss < fair.FinalValidationLoss ? "met" : "not met")}"));
        }
        return lines;
    }

    public static Table Table(IReadOnlyList<Row> rows)
    {
        var moe = rows[0].Result;
        var table = new Table().Title(F($"MoE against dense GPTs (same corpus, seed, batch, schedule); MoE spent {moe.Joules:0} J, {moe.CpuSeconds:0} CPU s"))
            .AddColumns("model", "width", "params total", "params active", "FLOPs/token", "steps", "val loss (end)", "test loss",
                "loss at MoE's J", "loss at MoE's CPU s", "J", "CPU s", "tokens/s", "ratio", "J/token", "ratio");
        foreach (var row in rows)
        {
            var r = row.Result;
            table.AddRow(r.Name, F($"{r.Width}"), F($"{r.TotalParameters:N0}"), F($"{r.ActiveParameters:N0}"), F($"{r.FlopsPerToken / 1e6:0.00} M"), F($"{r.Steps}"),
                F($"{r.FinalValidationLoss:0.0000}"), F($"{r.TestLoss:0.0000}"), Loss(row.LossAtMoeJoules), Loss(row.LossAtMoeCpuSeconds),
                F($"{r.Joules:0}"), F($"{r.CpuSeconds:0}"), F($"{r.TokensPerSecond:0}"), F($"{row.TokensPerSecondRatio:0.00}"),
                F($"{r.JoulesPerToken * 1e3:0.000} mJ"), F($"{row.JoulesPerTokenRatio:0.00}"));
        }
        return table;
    }

    private static string Loss(double? loss) => loss is { } l ? F($"{l:0.0000}") : "not reached";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
