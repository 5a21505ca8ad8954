namespace GreenTrain.Scheduler.Backtest;

/// <summary>The mean absolute percentage error of the forecasts a replanning back-test's planner saw, at a few horizons.</summary>
internal sealed class ForecastScore
{
    private readonly double[] _hours;
    private readonly int[] _cells;
    private readonly double[] _errors;
    private readonly int[] _counts;

    /// <param name="hours">Horizons in hours; those past <paramref name="maxHorizon"/> cells are not scored.</param>
    public ForecastScore(double[] hours, int cellsPerDay, int maxHorizon)
    {
        _hours = hours;
        _cells = hours.Select(h => Math.Max(1, (int)Math.Round(h * cellsPerDay / 24))).Select(c => c <= maxHorizon ? c : -1).ToArray();
        _errors = new double[hours.Length];
        _counts = new int[hours.Length];
    }

    /// <summary>Scores the forecast made at cell t (ahead[h]: h cells after t) against the trace's actual values.</summary>
    public void Add(double[] ahead, double[] actual, int t)
    {
        for (var k = 0; k < _cells.Length; k++)
        {
            if (_cells[k] > 0 && t + _cells[k] < actual.Length && actual[t + _cells[k]] is var truth && !double.IsNaN(truth))
            {
                _errors[k] += Math.Abs(ahead[_cells[k]] - truth) / Math.Max(truth, 1e-9);
                _counts[k]++;
            }
        }
    }

    public Dictionary<string, double> MapePct() => _hours.Select((h, k) => (h, k))
        .ToDictionary(p => $"{p.h}h", p => Math.Round(100 * _errors[p.k] / Math.Max(1, _counts[p.k]), 2));
}
