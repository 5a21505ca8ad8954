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
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : throw Bad(spec, $"'{pair}' is not key=value");
            settings = key switch
            {
                "days" => settings with { Days = (int)Number(spec, key, value, 1, 365, whole: true) },
                "rule" => settings with
                {
                    Rule = value switch
                    {
                        "vote" => ScenarioRule.Vote,
                        "expected-cost" => ScenarioRule.ExpectedCost,
                        _ => throw Bad(spec, $"rule '{value}': expected vote or expected-cost"),
                    },
                },
                "share" => settings with { RunShare = Number(spec, key, value, 0.01, 1) },
                "analogs" => settings with { Analogs = (int)Number(spec, key, value, 0, 1000, whole: true) },
                "scale" => settings with { ErrorScale = Number(spec, key, value, 0, 10) },
                "hours" => settings with { Hours = Number(spec, key, value, 0, 1000) },
                _ => throw Bad(spec, $"unknown key '{key}' (days, rule, share, analogs, scale, hours)"),
            };
        }
        return settings;
    }

    /// <summary>The spec written back in full, for the result file.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"days={Days},rule={(Rule == ScenarioRule.Vote ? "vote" : "expected-cost")},share={RunShare},analogs={Analogs},scale={ErrorScale}{(Hours is { } h ? $",hours={h}" : "")}");

    private static double Number(string spec, string key, string text, double min, double max, bool whole = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max && (!whole || v == Math.Floor(v))
            ? v : throw Bad(spec, $"{key} '{text}': expected {(whole ? "a whole number" : "a number")} from {min} to {max}");

    private static ArgumentException Bad(string spec, string why) => new($"--scenarios '{spec}': {why}.");
}
