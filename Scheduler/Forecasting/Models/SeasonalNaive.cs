namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// Seasonal-naive persistence: each cell takes its value one period earlier (a day: "persistence", grid intensity
/// follows the daily cycle of demand and sun; a week: weekdays and weekends differ). The one persistence forecast in
/// GreenTrain: the baseline the built-in forecaster is judged against, and what fills holes in a forecast grid.
/// </summary>
public sealed class SeasonalNaive(int cellsPerDay, int maxHorizon, int periodDays = 1) : OnlineModel(cellsPerDay, maxHorizon)
{
    public int Period { get; } = cellsPerDay * periodDays;

    public override string Name => Period == CellsPerDay ? "persistence-24h" : $"seasonal-naive-{Period / CellsPerDay * 24}h";

    /// <summary>Ready once a whole period is known; before that it can only repeat the last value.</summary>
    public override bool Ready => History.Count >= Period;

    protected override void Predict(Span<double> into)
    {
        var known = History.Count;
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = History.SamePhaseLastKnownPeriod(known, known + i, Period);
        }
    }

    /// <summary>
    /// Fills the NaN holes of a forecast in place: each takes the value one period earlier, else the one before it, else
    /// the first known value (holes before any value). Throws when nothing at all is known.
    /// </summary>
    public static void FillHoles(double[] values, int period, string region)
    {
        var firstKnown = Array.FindIndex(values, v => !double.IsNaN(v));
        if (firstKnown < 0)
        {
            throw new ArgumentException($"No forecast value at all for {region} in the planning horizon.");
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                values[i] = i >= period && !double.IsNaN(values[i - period]) ? values[i - period]
                    : i > 0 && !double.IsNaN(values[i - 1]) ? values[i - 1]
                    : values[firstKnown];
            }
        }
    }
}
