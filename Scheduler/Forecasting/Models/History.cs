namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// The observed values of one region on the grid, with prefix sums for level features. A missing value is filled with
/// the value a day earlier (else the last one), so features never read a hole; forecasts still only see the past.
/// </summary>
public sealed class History(int cellsPerDay)
{
    private readonly List<double> _values = [];
    private readonly List<double> _prefix = [0];

    public int CellsPerDay { get; } = cellsPerDay;

    public int Count => _values.Count;

    public double this[int index] => _values[index];

    public void Add(double value)
    {
        if (double.IsNaN(value) || value < 0)
        {
            value = Count >= CellsPerDay ? _values[Count - CellsPerDay] : Count > 0 ? _values[^1] : 0;
        }
        _values.Add(value);
        _prefix.Add(_prefix[^1] + value);
    }

    /// <summary>Mean of the <paramref name="cells"/> values ending at index <paramref name="last"/> (fewer at the start).</summary>
    public double MeanEndingAt(int last, int cells)
    {
        var first = Math.Max(0, last - cells + 1);
        return (_prefix[last + 1] - _prefix[first]) / (last - first + 1);
    }

    /// <summary>
    /// Seasonal-naive persistence: the value whole periods before cell <paramref name="target"/>, taken from the most recent
    /// period known when <paramref name="known"/> cells were observed, so it never reads a cell at or past that point.
    /// Without a full period of history it is the last known value.
    /// </summary>
    public double SamePhaseLastKnownPeriod(int known, int target, int period)
    {
        var index = target - period * Math.Max(1, (int)Math.Ceiling((target - known + 1) / (double)period));
        return index >= 0 ? _values[index] : _values[known - 1];
    }

    /// <summary>The mean of the <paramref name="periods"/> most recent known values at the target's phase (see <see cref="SamePhaseLastKnownPeriod"/>).</summary>
    public double SamePhaseMean(int known, int target, int period, int periods)
    {
        var newest = target - period * Math.Max(1, (int)Math.Ceiling((target - known + 1) / (double)period));
        double sum = 0;
        for (var p = 0; p < periods; p++)
        {
            sum += _values[Math.Max(0, newest - p * period)];
        }
        return sum / periods;
    }
}
