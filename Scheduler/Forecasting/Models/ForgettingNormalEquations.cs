namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// Weighted least squares per horizon with exponential forgetting, kept as normal equations (the upper triangle of
/// X^T W X, and X^T W y) so a refit costs one small solve however long the history. Instead of shrinking every old pair
/// at each new cell, the weight of new pairs grows by <c>growth</c> per cell (the same ratios), and everything is scaled
/// down together before the weights overflow.
/// </summary>
internal sealed class ForgettingNormalEquations
{
    private readonly int _n;
    private readonly double[][] _xtx;
    private readonly double[][] _xty;
    private readonly double[] _weightSum;
    private readonly double _growth;

    /// <param name="features">Regressors per pair.</param>
    /// <param name="halfLifeCells">Cells after which a pair counts half as much as a new one.</param>
    public ForgettingNormalEquations(int horizons, int features, double halfLifeCells)
    {
        _n = features;
        _xtx = Enumerable.Range(0, horizons).Select(_ => new double[features * features]).ToArray();
        _xty = Enumerable.Range(0, horizons).Select(_ => new double[features]).ToArray();
        _weightSum = new double[horizons];
        _growth = Math.Pow(2, 1.0 / halfLifeCells);
    }

    /// <summary>The weight a pair added now gets (older pairs keep theirs, so they count relatively less).</summary>
    public double SampleWeight { get; private set; } = 1;

    /// <summary>A new cell: later pairs weigh <c>growth</c> times more than earlier ones.</summary>
    public void NextCell()
    {
        SampleWeight *= _growth;
        if (SampleWeight > 1e100)
        {
            Rescale(1e-100);
        }
    }

    /// <summary>Adds the pair (x, y) to horizon <paramref name="h"/> (0-based) at the current sample weight.</summary>
    public void Accumulate(int h, ReadOnlySpan<double> x, double y)
    {
        var a = _xtx[h];
        var b = _xty[h];
        var w = SampleWeight;
        for (var i = 0; i < _n; i++)
        {
            var wxi = w * x[i];
            b[i] += wxi * y;
            for (var j = i; j < _n; j++)
            {
                a[i * _n + j] += wxi * x[j];
            }
        }
        _weightSum[h] += w;
    }

    /// <summary>X^T W X of horizon h, row-major, upper triangle filled (what <see cref="Cholesky.SolveSymmetric"/> reads).</summary>
    public double[] Matrix(int h) => _xtx[h];

    /// <summary>X^T W y of horizon h.</summary>
    public double[] Vector(int h) => _xty[h];

    /// <summary>The sum of the weights of horizon h's pairs, on the same scale as <see cref="SampleWeight"/>.</summary>
    public double WeightSum(int h) => _weightSum[h];

    private void Rescale(double factor)
    {
        SampleWeight *= factor;
        for (var h = 0; h < _xtx.Length; h++)
        {
            for (var i = 0; i < _xtx[h].Length; i++)
            {
                _xtx[h][i] *= factor;
            }
            for (var i = 0; i < _n; i++)
            {
                _xty[h][i] *= factor;
            }
            _weightSum[h] *= factor;
        }
    }
}
