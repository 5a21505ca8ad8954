namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// Intraday error correction: an inner model's forecast plus, at each horizon h, a linear model of its own error at h
/// on the errors it made at the last few cells (the one-cell-ahead errors just scored, as a fraction of the level). A
/// grid that runs above its forecast this hour tends to stay above it for a while (weather regimes last hours), and a
/// model refit once a day carries that bias until its next fit; this learns, per horizon, how much of the last errors
/// persists (an AR model on the residual, the correction day-ahead load forecasts get from intraday actuals).
/// The inner model forecasts at every cell, so the correction's training pairs and the inner members' error records
/// exist however rarely the wrapper itself is asked (the live fallback asks once, after the whole history).
/// Every pair is completed only by actuals that have arrived: nothing after the origin reaches a forecast.
/// </summary>
public sealed class ResidualCorrection : OnlineModel
{
    // Regressors: intercept (recent bias at h), the last one-cell-ahead error, the one before it, and the mean of the
    // last `MeanCells` one-cell-ahead errors.
    private const int N = 4;
    private const double HalfLifeDays = 30;
    private readonly OnlineModel _inner;
    private readonly int _meanCells;
    private readonly double[][] _innerMade;
    private readonly double[][] _featuresAt;
    private readonly double[] _levelAt;
    private readonly int[] _madeAt;
    private readonly ForgettingNormalEquations _fit;
    private readonly double[][] _beta;
    private readonly List<double> _oneStepError = [];
    private readonly double[] _next;

    public ResidualCorrection(OnlineModel inner, int maxHorizon) : base(inner.CellsPerDay, maxHorizon)
    {
        if (inner.MaxHorizon < maxHorizon)
        {
            throw new ArgumentException("The inner model must forecast at least as far as the correction.", nameof(inner));
        }
        _inner = inner;
        _meanCells = Math.Max(2, inner.CellsPerDay / 8);
        _innerMade = Enumerable.Range(0, maxHorizon).Select(_ => new double[maxHorizon]).ToArray();
        _featuresAt = Enumerable.Range(0, maxHorizon).Select(_ => new double[N]).ToArray();
        _levelAt = new double[maxHorizon];
        _madeAt = Enumerable.Repeat(-1, maxHorizon).ToArray();
        _fit = new ForgettingNormalEquations(maxHorizon, N, HalfLifeDays * CellsPerDay);
        _beta = Enumerable.Range(0, maxHorizon).Select(_ => new double[N]).ToArray();
        _next = new double[maxHorizon];
    }

    public override string Name => $"{_inner.Name}+residual";

    public OnlineModel Inner => _inner;

    public override bool Ready => _inner.Ready;

    protected override void Learn()
    {
        var cell = History.Count - 1;
        var actual = History[cell];
        _inner.Observe(actual);
        _fit.NextCell();
        // Score the inner forecasts that covered this cell: the one-cell-ahead error feeds the regressors, and every
        // horizon's error completes one training pair of that horizon's correction.
        _oneStepError.Add(_madeAt[cell % MaxHorizon] == cell ? (actual - _innerMade[cell % MaxHorizon][0]) / _levelAt[cell % MaxHorizon] : 0);
        for (var h = 1; h <= MaxHorizon; h++)
        {
            var origin = cell - h + 1;
            if (origin < 0 || _madeAt[origin % MaxHorizon] != origin)
            {
                continue;
            }
            var slot = origin % MaxHorizon;
            _fit.Accumulate(h - 1, _featuresAt[slot], (actual - _innerMade[slot][h - 1]) / _levelAt[slot]);
        }
        for (var h = 0; h < MaxHorizon && cell % Math.Max(1, CellsPerDay / 24) == 0; h++)
        {
            if (_fit.WeightSum(h) > _fit.SampleWeight * CellsPerDay)
            {
                var a = _fit.Matrix(h);
                var ridge = 1e-3 * (a[0] + a[N + 1] + a[2 * N + 2] + a[3 * N + 3]) / N;
                _beta[h] = Cholesky.SolveSymmetric(a, _fit.Vector(h), N, ridge) ?? _beta[h];
            }
        }
        // The inner forecast from the new origin (History.Count cells known), kept with the regressors known now.
        var next = History.Count;
        var s = next % MaxHorizon;
        _inner.Forecast(_innerMade[s]);
        _madeAt[s] = next;
        _levelAt[s] = Math.Max(History.MeanEndingAt(cell, CellsPerDay), 1e-6);
        var x = _featuresAt[s];
        var n = _oneStepError.Count;
        x[0] = 1;
        x[1] = _oneStepError[n - 1];
        x[2] = n >= 2 ? _oneStepError[n - 2] : 0;
        double sum = 0;
        var count = Math.Min(_meanCells, n);
        for (var k = 1; k <= count; k++)
        {
            sum += _oneStepError[n - k];
        }
        x[3] = sum / count;
    }

    protected override void Predict(Span<double> into)
    {
        var origin = History.Count;
        var slot = origin % MaxHorizon;
        var x = _featuresAt[slot];
        for (var i = 0; i < into.Length; i++)
        {
            var b = _beta[i];
            var correction = b[0] * x[0] + b[1] * x[1] + b[2] * x[2] + b[3] * x[3];
            into[i] = Math.Max(0, _innerMade[slot][i] + correction * _levelAt[slot]);
        }
    }
}
