using GreenTrain.Scheduler.Forecasting.Models;

namespace GreenTrain.Scheduler.ForecastEval;

/// <summary>One model's score at one horizon: mean absolute percentage error and Spearman rank correlation against the actuals.</summary>
public sealed record HorizonScore(string Model, double Hours, int Pairs, double MapePct, double RankCorrelation);

/// <summary>
/// Walks a trace cell by cell as the live Scheduler would see it: each model observes the cell's actual value, then
/// forecasts the next cells; each forecast is scored at the chosen horizons when its target arrives. Pairs whose
/// origin lies in the first <paramref name="warmUpDays"/> are left out for every model alike (the ridge model learns
/// its first week).
/// </summary>
public static class ForecastEvaluation
{
    public static IReadOnlyList<HorizonScore> Run(double[] actual, IReadOnlyList<IForecastModel> models, IReadOnlyList<double> horizonHours,
        int cellsPerDay, int warmUpDays, IProgress<string>? progress = null)
    {
        var steps = horizonHours.Select(h => Math.Max(1, (int)Math.Round(h * cellsPerDay / 24))).ToArray();
        var longest = steps.Max();
        var pairs = models.Select(_ => steps.Select(_ => (Forecast: new List<double>(), Actual: new List<double>())).ToArray()).ToArray();
        var buffer = new double[longest];
        var warmUp = warmUpDays * cellsPerDay;
        for (var t = 0; t < actual.Length; t++)
        {
            for (var m = 0; m < models.Count; m++)
            {
                models[m].Observe(actual[t]);
                models[m].Forecast(buffer);
                for (var k = 0; k < steps.Length; k++)
                {
                    var target = t + steps[k];
                    if (t >= warmUp && target < actual.Length && !double.IsNaN(actual[target]) && actual[target] > 0)
                    {
                        pairs[m][k].Forecast.Add(buffer[steps[k] - 1]);
                        pairs[m][k].Actual.Add(actual[target]);
                    }
                }
            }
            if (progress is not null && t % (30 * cellsPerDay) == 0)
            {
                progress.Report($"day {t / cellsPerDay} of {actual.Length / cellsPerDay}");
            }
        }
        var scores = new List<HorizonScore>();
        for (var k = 0; k < steps.Length; k++)
        {
            for (var m = 0; m < models.Count; m++)
            {
                var (f, a) = pairs[m][k];
                var mape = f.Count == 0 ? double.NaN : 100 * f.Zip(a, (x, y) => Math.Abs(x - y) / y).Average();
                scores.Add(new HorizonScore(models[m].Name, horizonHours[k], f.Count, mape, Spearman(f, a)));
            }
        }
        return scores;
    }

    /// <summary>Spearman's rank correlation: Pearson's on the ranks (ties share their mean rank).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2)
        {
            return double.NaN;
        }
        var rx = Ranks(x);
        var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return ranks;
    }
}
