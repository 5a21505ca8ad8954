using System.Globalization;
using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// `backtest --replan --scenarios SPEC`: decide each job's current cell under the forecast's past errors
/// (<see cref="ForecastScenarios"/>) instead of on the point forecast. SPEC is comma-separated key=value pairs, each
/// with a default: days=14 (one scenario per past day), rule=vote|expected-cost, share=0.5 (vote: least share of
/// scenarios that runs now), analogs=N (0: the forecast issued at this time of day each day; N: the N past forecasts
/// within 2 h of this time of day whose next 6 h are shaped most like this one's), scale=1 (errors multiplied by it),
/// hours=H (errors past H hours ahead counted as none; default all).
/// </summary>
public sealed record ScenarioSettings(int Days = 14, ScenarioRule Rule = ScenarioRule.Vote, double RunShare = 0.5, int Analogs = 0,
    double ErrorScale = 1, double? Hours = null)
{
    public static ScenarioSettings Parse(string spec)
    {
        var settings = new ScenarioSettings();
        var parts = new KeyValueSpec("--scenarios", spec);
        foreach (var (key, value) in parts.Pairs())
        {
            settings = key switch
            {
                "days" => settings with { Days = (int)parts.Number(key, value, 1, 365, whole: true) },
                "rule" => settings with
                {
                    Rule = value switch
                    {
                        "vote" => ScenarioRule.Vote,
                        "expected-cost" => ScenarioRule.ExpectedCost,
                        _ => throw parts.Bad($"rule '{value}': expected vote or expected-cost"),
                    },
                },
                "share" => settings with { RunShare = parts.Number(key, value, 0.01, 1) },
                "analogs" => settings with { Analogs = (int)parts.Number(key, value, 0, 1000, whole: true) },
                "scale" => settings with { ErrorScale = parts.Number(key, value, 0, 10) },
                "hours" => settings with { Hours = parts.Number(key, value, 0, 1000) },
                _ => throw parts.Bad($"unknown key '{key}' (days, rule, share, analogs, scale, hours)"),
            };
        }
        return settings;
    }

    /// <summary>The spec written back in full, for the result file.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"days={Days},rule={(Rule == ScenarioRule.Vote ? "vote" : "expected-cost")},share={RunShare},analogs={Analogs},scale={ErrorScale}{(Hours is { } h ? $",hours={h}" : "")}");
}
