namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// The inputs of the per-horizon linear model for one (origin, target) pair, all read from the history known at the
/// origin and divided by the level (the mean of the last day) so that one set of weights serves winter and summer:
/// intercept, the last value, the last three hours' mean, the same time one day and one week before the target (from
/// the most recent known day/week/two days), the origin's value a day earlier (today's anomaly), two daily harmonics of
/// the target's hour (UTC), whether the target and the origin fall on a weekend, the seven-day profile at the target's
/// phase, the weekend's own daily shape, and the last few cells one by one (the short-term trend).
/// </summary>
internal static class RidgeFeatures
{
    public const int Count = 20;

    /// <summary>Cells of history the features need: a week, so the weekly lag exists.</summary>
    public static int MinimumHistory(int cellsPerDay) => 7 * cellsPerDay;

    /// <summary>Writes the features for a target cell when <paramref name="known"/> cells are observed; returns the level they are scaled by.</summary>
    public static double Write(History history, int known, int target, DateTimeOffset gridStart, TimeSpan step, Span<double> x)
    {
        var day = history.CellsPerDay;
        var level = Math.Max(history.MeanEndingAt(known - 1, day), 1e-6);
        var targetTime = gridStart + step * target;
        var originTime = gridStart + step * (known - 1);
        var hour = targetTime.UtcDateTime.TimeOfDay.TotalHours * (2 * Math.PI / 24);
        x[0] = 1;
        x[1] = history[known - 1] / level;
        x[2] = history.MeanEndingAt(known - 1, Math.Max(1, day / 8)) / level;
        x[3] = history.SamePhaseLastKnownPeriod(known, target, day) / level;
        x[4] = history.SamePhaseLastKnownPeriod(known, target, 7 * day) / level;
        x[5] = Math.Sin(hour);
        x[6] = Math.Cos(hour);
        x[7] = Math.Sin(2 * hour);
        x[8] = Math.Cos(2 * hour);
        x[9] = IsWeekend(targetTime) - IsWeekend(originTime);
        // The origin's own time a day earlier: with x[1] it says how far today runs above or below yesterday.
        x[10] = history[Math.Max(0, known - 1 - day)] / level;
        x[11] = history.SamePhaseLastKnownPeriod(known, target, 2 * day) / level;
        // The target's phase averaged over the last seven known days: the recent daily profile, steadier than one day.
        x[12] = history.SamePhaseMean(known, target, day, 7) / level;
        // Weekends have another daily shape (less demand by day), not only another level.
        var weekend = IsWeekend(targetTime);
        x[13] = weekend * Math.Sin(hour);
        x[14] = weekend * Math.Cos(hour);
        // The last hours one by one (a quarter day back, and 1, 2, 4 and 8 cells before the last): the short-term trend,
        // which decides the first hours' forecast and with it whether a job runs now.
        x[15] = history[Math.Max(0, known - 1 - day / 4)] / level;
        x[16] = history[Math.Max(0, known - 2)] / level;
        x[17] = history[Math.Max(0, known - 3)] / level;
        x[18] = history[Math.Max(0, known - 5)] / level;
        x[19] = history[Math.Max(0, known - 9)] / level;
        return level;
    }

    private static double IsWeekend(DateTimeOffset time) => time.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1 : 0;
}
