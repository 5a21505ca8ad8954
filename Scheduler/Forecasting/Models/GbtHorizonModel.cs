namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// Gradient-boosted trees (<see cref="GradientBoostedTrees"/>) on the ridge model's inputs (<see cref="RidgeFeatures"/>)
/// plus the horizon, the target's hour of day and its weekday, one model for every horizon: trees find what a linear
/// model cannot (a solar ramp whose depth depends on the level, a weekday shape that differs by hour). Refit every
/// <see cref="RefitDays"/> days on pairs of the last <see cref="WindowDays"/> days whose targets are already known,
/// origins hourly and horizons spread over the range (denser near, where the planner's decision is made). Until its
/// first fit it forecasts persistence and is not <see cref="Ready"/>.
/// </summary>
public sealed class GbtHorizonModel : OnlineModel
{
    private const int RefitDays = 7;
    private const int WindowDays = 28;
    private const int HorizonsPerOrigin = 12;
    private const int F = RidgeFeatures.Count + 3;
    private readonly DateTimeOffset _gridStart;
    private readonly TimeSpan _step;
    private readonly double[] _x = new double[F];
    private GradientBoostedTrees? _trees;
    private readonly RidgeHorizonModel? _ridge;

    public GbtHorizonModel(DateTimeOffset gridStart, TimeSpan step, int maxHorizon, bool onRidge = false)
        : base((int)Math.Round(TimeSpan.FromDays(1) / step), maxHorizon)
    {
        _gridStart = gridStart;
        _step = step;
        _ridge = onRidge ? new RidgeHorizonModel(gridStart, step, maxHorizon) : null;
    }

    /// <summary>The base the trees correct, per unit of level: the ridge model's fit where it has one, else 0 (the trees fit the target itself).</summary>
    private double Base(int h)
    {
        if (_ridge is null)
        {
            return 0;
        }
        var z = _ridge.Scaled(h, _x);
        return double.IsNaN(z) ? _x[3] : z;
    }

    public override string Name => "gbt";

    public override bool Ready => _trees is not null && _ridge is not { Ready: false };

    protected override void Learn()
    {
        _ridge?.Observe(History[History.Count - 1]);
        var count = History.Count;
        if (count % (RefitDays * CellsPerDay) != 0 || count < RidgeFeatures.MinimumHistory(CellsPerDay) + 7 * CellsPerDay)
        {
            return;
        }
        var xs = new List<double>();
        var ys = new List<double>();
        var originStep = Math.Max(1, CellsPerDay / 24);
        var firstOrigin = Math.Max(RidgeFeatures.MinimumHistory(CellsPerDay), count - WindowDays * CellsPerDay);
        var index = 0;
        for (var known = firstOrigin; known < count; known += originStep, index++)
        {
            // A low-discrepancy phase per origin, so the pairs cover every horizon over the window.
            var phase = index * 0.6180339887 % 1;
            for (var j = 0; j < HorizonsPerOrigin; j++)
            {
                var u = (j + phase) / HorizonsPerOrigin;
                var h = 1 + (int)(u * u * MaxHorizon);
                var target = known + h - 1;
                if (h > MaxHorizon || target >= count)
                {
                    continue;
                }
                var level = Write(known, target);
                xs.AddRange(_x);
                ys.Add(History[target] / level - Base(h));
            }
        }
        if (ys.Count >= 200)
        {
            _trees = GradientBoostedTrees.Fit([.. xs], [.. ys], F, trees: 100, depth: 4, learningRate: 0.1, minLeaf: 20);
        }
    }

    protected override void Predict(Span<double> into)
    {
        var known = History.Count;
        for (var i = 0; i < into.Length; i++)
        {
            if (_trees is null || _ridge is { Ready: false })
            {
                into[i] = History.SamePhaseLastKnownPeriod(known, known + i, CellsPerDay);
                continue;
            }
            var level = Write(known, known + i);
            into[i] = Math.Max(0, (Base(i + 1) + _trees.Predict(_x)) * level);
        }
    }

    private double Write(int known, int target)
    {
        var level = RidgeFeatures.Write(History, known, target, _gridStart, _step, _x);
        var time = (_gridStart + _step * target).UtcDateTime;
        _x[RidgeFeatures.Count] = (target - known + 1) / (double)CellsPerDay;
        _x[RidgeFeatures.Count + 1] = time.TimeOfDay.TotalHours;
        _x[RidgeFeatures.Count + 2] = (int)time.DayOfWeek;
        return level;
    }
}
