using System.Globalization;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// A back-test option's SPEC of comma-separated key=value pairs (`--scenarios`, `--threshold`): the pairs in order, and
/// numbers read in a range, every error naming the option and the whole spec so the user sees what to fix.
/// </summary>
internal sealed class KeyValueSpec(string option, string spec)
{
    public IEnumerable<(string Key, string Value)> Pairs() =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2) is [var key, var value] ? (key, value) : throw Bad($"'{pair}' is not key=value"));

    public double Number(string key, string text, double min, double max, bool whole = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max && (!whole || v == Math.Floor(v))
            ? v : throw Bad($"{key} '{text}': expected {(whole ? "a whole number" : "a number")} from {min} to {max}");

    public ArgumentException Bad(string why) => new($"{option} '{spec}': {why}.");
}
