namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// What the planner is told the intensity will be. perfect: the trace itself. persistence: the value
/// one day earlier. noisy:F: the trace plus independent Gaussian error with a standard deviation of F
/// times the trace mean, one fixed draw per seed (the error model of Let's Wait Awhile).
/// </summary>
public static class ForecastModel
{
    public static double[] Make(double[] actual, BacktestSettings settings, int cellsPerDay, Random random) => settings.Forecast switch
    {
        "perfect" => actual,
        "persistence" => actual.Select((v, i) => i >= cellsPerDay ? actual[i - cellsPerDay] : v).ToArray(),
        _ => Noisy(actual, settings.NoiseFraction, random),
    };

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
