using System.Globalization;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// Bounds of the numbers a submission carries beside its spec. The planner turns hours into a TimeSpan and spreads
/// kWh over grid cells: a value past these (1e308 h overflows TimeSpan, NaN compares false everywhere) would make
/// every replan throw. A year of run time and a gigawatt-hour are far above any training run GreenTrain plans.
/// </summary>
public static class SubmissionLimits
{
    public const double MaxHours = 24 * 366;

    public const double MaxKWh = 1_000_000;

    /// <summary>
    /// Reads an optional positive number from the query string: null when absent, else the value, or an error in
    /// <paramref name="errors"/> naming the parameter (text, NaN, infinity, zero, negative or past the bound).
    /// </summary>
    public static double? PositiveNumber(IQueryCollection query, string name, double max, string unit, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1
            || !double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value <= 0 || value > max)
        {
            errors[name] = [$"must be a number of {unit} greater than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}"];
            return null;
        }
        return value;
    }
}
