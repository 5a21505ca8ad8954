namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// A linear model per horizon (ridge regression on <see cref="RidgeFeatures"/>), learnt online: every arriving cell
/// completes one training pair per horizon (the features known h cells earlier, the value now), added to that horizon's
/// normal equations with exponentially growing weight (half-life halfLifeDays, so old seasons fade; 15 days by default:
/// 45 blurred the weather's regimes and 8 was too noisy, both kept less of the oracle's saving in the back-test), and
/// the weights are solved again once a day. Until it has a week of history and a day of pairs it forecasts persistence.
/// </summary>
public sealed class RidgeHorizonModel : OnlineModel
{
    // Ridge penalty per unit of sample weight. Small: the features are scaled by the level (about 1), and a larger penalty
    // (1e-3) shrank the weights of the last cells, which decide the first hours' forecast (1 h MAPE on FR 4.3% -> 3.1%
    // at 1e-6, and 59.5% -> 62.4% of the oracle's saving in the back-test; docs/benchmarks.md).
    private const double Ridge = 1e-6;
    private const int N = RidgeFeatures.Count;
    private readonly DateTimeOffset _gridStart;
    private readonly TimeSpan _step;
    private readonly ForgettingNormalEquations _fit;
    private readonly double[]?[] _weights;
    private readonly double[] _x = new double[N];

    public RidgeHorizonModel(DateTimeOffset gridStart, TimeSpan step, int maxHorizon, double halfLifeDays = 15)
        : base((int)Math.Round(TimeSpan.FromDays(1) / step), maxHorizon)
    {
        _gridStart = gridStart;
        _step = step;
        _fit = new ForgettingNormalEquations(maxHorizon, N, halfLifeDays * CellsPerDay);
        _weights = new double[maxHorizon][];
    }

    public override string Name => "ridge-per-horizon";

    /// <summary>Ready once the weights of the first horizon are solved (a week of history and a day of pairs).</summary>
    public override bool Ready => _weights[0] is not null && History.Count >= RidgeFeatures.MinimumHistory(CellsPerDay);

    protected override void Learn()
    {
        var cell = History.Count - 1;
        var target = History[cell];
        _fit.NextCell();
        for (var h = 1; h <= MaxHorizon; h++)
        {
            var known = cell - h + 1;
            if (known < RidgeFeatures.MinimumHistory(CellsPerDay))
            {
                break;
            }
            var level = RidgeFeatures.Write(History, known, cell, _gridStart, _step, _x);
            _fit.Accumulate(h - 1, _x, target / level);
        }
        if (History.Count % CellsPerDay == 0)
        {
            Solve();
        }
    }

    protected override void Predict(Span<double> into)
    {
        var known = History.Count;
        for (var i = 0; i < into.Length; i++)
        {
            var target = known + i;
            if (_weights[i] is not { } w || known < RidgeFeatures.MinimumHistory(CellsPerDay))
            {
                into[i] = History.SamePhaseLastKnownPeriod(known, target, CellsPerDay);
                continue;
            }
            var level = RidgeFeatures.Write(History, known, target, _gridStart, _step, _x);
            double z = 0;
            for (var k = 0; k < N; k++)
            {
                z += w[k] * _x[k];
            }
            into[i] = Math.Max(0, z * level);
        }
    }

    /// <summary>The fitted value at horizon h (1-based) for features written by <see cref="RidgeFeatures.Write"/>, before scaling by the level; NaN before that horizon's first fit.</summary>
    internal double Scaled(int h, ReadOnlySpan<double> x)
    {
        if (_weights[h - 1] is not { } w)
        {
            return double.NaN;
        }
        double z = 0;
        for (var k = 0; k < N; k++)
        {
            z += w[k] * x[k];
        }
        return z;
    }

    private void Solve()
    {
        for (var h = 0; h < MaxHorizon; h++)
        {
            if (_fit.WeightSum(h) <= 0 || _fit.WeightSum(h) < _fit.SampleWeight * CellsPerDay * 0.5)
            {
                continue; // less than about a day of pairs at this horizon: keep persistence
            }
            _weights[h] = Cholesky.SolveSymmetric(_fit.Matrix(h), _fit.Vector(h), N, Ridge * _fit.WeightSum(h));
        }
    }
}
