using System.Globalization;
using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// `backtest --replan --threshold SPEC`: decide each job's current cell by an online threshold rule
/// (<see cref="OnlineThreshold"/>) instead of, or beside, the point forecast's ranking. SPEC is comma-separated key=value
/// pairs, each with a default: rule=threshold|or|and|forecast-bounds|horizon, days=7 (the recent past the bounds and the
/// quantile are measured over, actual cells before now only), margin=0.1 (forecast-bounds: L and U widened by it),
/// hours=6 (horizon: how far the forecast is believed), quantile=0.25 (horizon: the recent value each later cell gets).
/// </summary>
public sealed record ThresholdSettings(ThresholdRule Rule = ThresholdRule.Threshold, int Days = 7, double Margin = 0.1, double Hours = 6,
    double Quantile = 0.25)
{
    private static readonly (string Name, ThresholdRule Rule)[] Rules =
    [
        ("threshold", ThresholdRule.Threshold), ("or", ThresholdRule.ForecastOrThreshold), ("and", ThresholdRule.ForecastAndThreshold),
        ("forecast-bounds", ThresholdRule.ForecastBounds), ("horizon", ThresholdRule.ForecastToHorizon),
    ];

    public static ThresholdSettings Parse(string spec)
    {
        var settings = new ThresholdSettings();
        var parts = new KeyValueSpec("--threshold", spec);
        foreach (var (key, value) in parts.Pairs())
        {
            settings = key switch
            {
                "rule" => settings with
                {
                    Rule = Array.Find(Rules, r => r.Name == value) is { Name: not null } found ? found.Rule
                        : throw parts.Bad($"rule '{value}': expected {string.Join(", ", Rules.Select(r => r.Name))}"),
                },
                "days" => settings with { Days = (int)parts.Number(key, value, 1, 365, whole: true) },
                "margin" => settings with { Margin = parts.Number(key, value, 0, 0.99) },
                "hours" => settings with { Hours = parts.Number(key, value, 0, 1000) },
                "quantile" => settings with { Quantile = parts.Number(key, value, 0, 1) },
                _ => throw parts.Bad($"unknown key '{key}' (rule, days, margin, hours, quantile)"),
            };
        }
        return settings;
    }

    /// <summary>The spec written back in full, for the result file.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"rule={Array.Find(Rules, r => r.Rule == Rule).Name},days={Days},margin={Margin},hours={Hours},quantile={Quantile}");
}
