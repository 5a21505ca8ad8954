using GreenTrain.Scheduler.Forecasting.Models;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// What the planner is told the intensity will be. perfect: the trace itself. persistence: the value
/// one day earlier (the seasonal-naive model, planned once at arrival). noisy:F: the trace plus independent Gaussian error with a standard deviation of F
/// times the trace mean, one fixed draw per seed (the error model of Let's Wait Awhile).
/// </summary>
public static class ForecastModel
{
    public static double[] Make(double[] actual, BacktestSettings settings, int cellsPerDay, Random random) => settings.Forecast switch
    {
        "perfect" => actual,
        "persistence" => Persistence(actual, cellsPerDay),
        _ => Noisy(actual, settings.NoiseFraction, random),
    };

    /// <summary>Each cell the value a day earlier: the seasonal-naive model's own forecast one day ahead at every cell.</summary>
    private static double[] Persistence(double[] actual, int cellsPerDay)
    {
        var model = new SeasonalNaive(cellsPerDay, cellsPerDay);
        var result = (double[])actual.Clone(); // the first day has no day before it: it is known
        var ahead = new double[cellsPerDay];
        for (var known = 1; known + cellsPerDay - 1 < actual.Length; known++)
        {
            model.Observe(actual[known - 1]);
            model.Forecast(ahead);
            result[known + cellsPerDay - 1] = ahead[^1]; // made with `known` cells known: the cell a day after the last of them
        }
        return result;
    }

    private static double[] Noisy(double[] actual, double fraction, Random random)
    {
        var sigma = fraction * actual.Average();
        return actual.Select(v => Math.Max(0, v + sigma * Gaussian(random))).ToArray();
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
