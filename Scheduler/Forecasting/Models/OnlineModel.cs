namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// What every model shares: the history, and a record of its own forecasts made at each of the last
/// <see cref="MaxHorizon"/> origins, scored against each actual as it arrives. Each horizon's error is an exponentially
/// weighted mean (half-life <see cref="ErrorHalfLifeDays"/>), so the stated error follows the season.
/// </summary>
public abstract class OnlineModel : IForecastModel
{
    private const double ErrorHalfLifeDays = 14;
    private readonly double[][] _made;
    private readonly int[] _madeAt;
    private readonly double[] _absError;
    private readonly double[] _pctError;
    private readonly double[] _weight;
    private readonly double _decay;

    protected OnlineModel(int cellsPerDay, int maxHorizon)
    {
        History = new History(cellsPerDay);
        MaxHorizon = maxHorizon;
        _made = Enumerable.Range(0, maxHorizon).Select(_ => new double[maxHorizon]).ToArray();
        _madeAt = Enumerable.Repeat(-1, maxHorizon).ToArray();
        _absError = new double[maxHorizon];
        _pctError = new double[maxHorizon];
        _weight = new double[maxHorizon];
        _decay = Math.Pow(0.5, 1.0 / (ErrorHalfLifeDays * cellsPerDay));
    }

    public abstract string Name { get; }

    public History History { get; }

    public int CellsPerDay => History.CellsPerDay;

    public int Observed => History.Count;

    public int MaxHorizon { get; }

    public void Observe(double actual)
    {
        var cell = History.Count;
        if (!double.IsNaN(actual) && actual > 0)
        {
            for (var h = 1; h <= MaxHorizon; h++)
            {
                // The forecast made when `origin` cells were known covered cell origin + h - 1 at its h-th value.
                var origin = cell - h + 1;
                if (origin >= 1 && _madeAt[origin % MaxHorizon] == origin)
                {
                    var error = Math.Abs(_made[origin % MaxHorizon][h - 1] - actual);
                    _absError[h - 1] = _absError[h - 1] * _decay + error;
                    _pctError[h - 1] = _pctError[h - 1] * _decay + error / actual;
                    _weight[h - 1] = _weight[h - 1] * _decay + 1;
                }
            }
        }
        History.Add(actual);
        Learn();
    }

    public void Forecast(Span<double> into)
    {
        if (into.Length > MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(into), into.Length, $"{Name} forecasts at most {MaxHorizon} cells ahead.");
        }
        if (History.Count == 0)
        {
            throw new InvalidOperationException($"{Name} has observed nothing yet.");
        }
        Predict(into);
        // Remember the forecast made with this many cells known (into[0] is cell `origin`) to score it as the actuals arrive.
        var origin = History.Count;
        var slot = origin % MaxHorizon;
        into.CopyTo(_made[slot]);
        for (var i = into.Length; i < MaxHorizon; i++)
        {
            _made[slot][i] = double.NaN;
        }
        _madeAt[slot] = origin;
    }

    public double ExpectedError(int h) => _weight[h - 1] > 0 ? _pctError[h - 1] / _weight[h - 1] : double.NaN;

    /// <summary>The expected absolute error h cells ahead in g/kWh; NaN before any record.</summary>
    public double ExpectedAbsoluteError(int h) => _weight[h - 1] > 0 ? _absError[h - 1] / _weight[h - 1] : double.NaN;

    /// <summary>Whether the model has seen enough to forecast on its own terms (a blend leaves it out until then).</summary>
    public virtual bool Ready => History.Count > 0;

    /// <summary>Updates what the model learns from the cell just added to <see cref="History"/>.</summary>
    protected virtual void Learn()
    {
    }

    /// <summary>Forecasts the cells after the last observed one, from <see cref="History"/> only.</summary>
    protected abstract void Predict(Span<double> into);
}
