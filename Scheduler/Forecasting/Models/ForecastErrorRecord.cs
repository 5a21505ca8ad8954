namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// The forecasts a region's planner was shown and what then happened: an analog ensemble of the forecast's own errors.
/// Each cell, <see cref="Add"/> takes the observed value and the forecast issued then (index 0 the observed cell, h the
/// cell h ahead). <see cref="Trajectories"/> gives, for the decision now, the relative errors (actual / forecast - 1) of
/// the forecasts issued at the same time of day on each of the last <c>days</c> days whose every horizon has been
/// observed: each a whole trajectory, so an error that lasts hours stays one error across them. The same hour of day
/// because the error has a daily shape (the solar ramps, the evening peak); whole trajectories because what decides a
/// run is how the next hours rank against now, and independent errors per cell would rank them as noise.
/// </summary>
public sealed class ForecastErrorRecord
{
    private readonly int _cellsPerDay;
    private readonly int _horizon;
    private readonly int _days;
    private readonly int _firstDay;
    private readonly int _capacity;
    private readonly double[][] _forecasts;
    private readonly double[] _actuals;
    private double[][] _errors;
    private int _cells;

    /// <param name="cellsPerDay">the grid's cells per day</param>
    /// <param name="horizon">the cells ahead each forecast holds after the observed one</param>
    /// <param name="days">how many past days give a scenario each</param>
    public ForecastErrorRecord(int cellsPerDay, int horizon, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerDay, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        (_cellsPerDay, _horizon, _days) = (cellsPerDay, horizon, days);
        _firstDay = (horizon + cellsPerDay - 1) / cellsPerDay; // the latest day whose forecast has been observed to its end
        _capacity = (_firstDay + days + 1) * cellsPerDay + 1; // a day more, for analogs a little earlier in the day
        _forecasts = Enumerable.Range(0, _capacity).Select(_ => new double[horizon + 1]).ToArray();
        _actuals = new double[_capacity];
        _errors = Enumerable.Range(0, days).Select(_ => new double[horizon + 1]).ToArray();
    }

    /// <summary>How many cells have been added.</summary>
    public int Cells => _cells;

    /// <summary>Adds the cell just observed and the forecast issued with it ([0] that cell, [h] h cells ahead).</summary>
    public void Add(double actual, ReadOnlySpan<double> forecast)
    {
        var slot = _cells % _capacity;
        _actuals[slot] = actual;
        var into = _forecasts[slot];
        var n = Math.Min(forecast.Length, into.Length);
        forecast[..n].CopyTo(into);
        into.AsSpan(n).Fill(double.NaN);
        _cells++;
    }

    /// <summary>
    /// The error trajectories of the <paramref name="count"/> past forecasts most like the one just issued: among those
    /// issued within <paramref name="nearCells"/> cells of this time of day on each of the last days, the ones whose
    /// first <paramref name="matchCells"/> cells ahead, relative to their observed cell, are closest to this forecast's
    /// (least squares). A forecast's error depends on what it forecast (a ramp mistimed, a trough too deep), so errors
    /// of forecasts of the same shape fit this one better than those of whatever the same hour held on other days.
    /// </summary>
    public double[][] Analogs(int count, int matchCells, int nearCells)
    {
        var now = _cells - 1;
        var current = _forecasts[now % _capacity];
        var candidates = new List<(double Distance, int Origin)>();
        for (var d = 0; d < _days; d++)
        {
            for (var offset = -nearCells; offset <= nearCells; offset++)
            {
                var origin = now - (_firstDay + d) * _cellsPerDay + offset;
                if (origin < 0 || origin + _horizon > now)
                {
                    continue;
                }
                var forecast = _forecasts[origin % _capacity];
                double distance = 0;
                for (var h = 1; h <= matchCells && h <= _horizon; h++)
                {
                    var gap = forecast[h] / forecast[0] - current[h] / current[0];
                    distance += double.IsNaN(gap) ? 1 : gap * gap;
                }
                candidates.Add((distance, origin));
            }
        }
        candidates.Sort((a, b) => a.Distance.CompareTo(b.Distance));
        var taken = Math.Min(count, candidates.Count);
        if (taken > _errors.Length)
        {
            _errors = [.. _errors, .. Enumerable.Range(0, taken - _errors.Length).Select(_ => new double[_horizon + 1])];
        }
        for (var i = 0; i < taken; i++)
        {
            ErrorsOf(candidates[i].Origin, _errors[i]);
        }
        return _errors[..taken];
    }

    private void ErrorsOf(int origin, double[] errors)
    {
        var forecast = _forecasts[origin % _capacity];
        errors[0] = 0;
        for (var h = 1; h <= _horizon; h++)
        {
            var actual = _actuals[(origin + h) % _capacity];
            var predicted = forecast[h];
            errors[h] = predicted > 0 && actual >= 0 && !double.IsNaN(actual) ? actual / predicted - 1 : 0;
        }
    }

    /// <summary>
    /// The relative error trajectories of the forecasts issued at this time of day on each of the last days (as many as
    /// the record holds yet, up to <c>days</c>); index 0 is always 0 (the observed cell), a missing or unusable value 0
    /// too. The arrays are the record's own and change at the next call.
    /// </summary>
    public double[][] Trajectories()
    {
        var now = _cells - 1;
        var count = 0;
        for (var d = 0; d < _days; d++)
        {
            var origin = now - (_firstDay + d) * _cellsPerDay;
            if (origin < 0)
            {
                break;
            }
            ErrorsOf(origin, _errors[count++]);
        }
        return count == _days ? _errors : _errors[..count];
    }
}
