namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// The built-in forecaster: a blend of models picked, horizon by horizon, by their recent error. Each member forecasts
/// every cell; the blend weights each by the inverse eighth power of its recent mean absolute error at that horizon (an
/// exponentially weighted mean, see <see cref="OnlineModel"/>), so the model that has been best lately all but decides
/// (the inverse square let the seasonal-naive members blur the ridge model's short-term forecast and kept less of the
/// oracle's saving in the back-test: docs/benchmarks.md),
/// and until every member has a record at a horizon all count the same there. A member that is not yet
/// <see cref="OnlineModel.Ready"/> (seasonal naive without a whole period, ridge before its first fit) is left out. Its own stated error is that of the blend's forecasts.
/// </summary>
public sealed class BlendedForecaster : OnlineModel
{
    /// <summary>How sharply the blend favours the member with the least recent error (1/error^p).</summary>
    private const double WeightPower = 8;
    private readonly OnlineModel[] _members;
    private readonly double[][] _memberForecasts;
    private readonly double[] _scratch;

    public BlendedForecaster(int cellsPerDay, int maxHorizon, params OnlineModel[] members) : base(cellsPerDay, maxHorizon)
    {
        if (members.Length == 0 || members.Any(m => m.CellsPerDay != cellsPerDay || m.MaxHorizon < maxHorizon))
        {
            throw new ArgumentException("A blend needs members on the same grid that forecast at least as far.", nameof(members));
        }
        _members = members;
        _memberForecasts = members.Select(_ => new double[maxHorizon]).ToArray();
        _scratch = new double[maxHorizon];
    }

    /// <summary>
    /// GreenTrain's built-in forecaster: persistence (24 h), seasonal naive (168 h) and a per-horizon ridge model on lags,
    /// hour of day and weekday, blended by recent error; <paramref name="variant"/> picks one of the alternatives tried
    /// against it (<see cref="BuiltinVariant"/>).
    /// </summary>
    public static OnlineModel Builtin(DateTimeOffset gridStart, TimeSpan step, int maxHorizon, BuiltinVariant variant = BuiltinVariant.Standard)
    {
        var cellsPerDay = (int)Math.Round(TimeSpan.FromDays(1) / step);
        OnlineModel learnt = variant switch
        {
            BuiltinVariant.GbtForRidge => new GbtHorizonModel(gridStart, step, maxHorizon),
            BuiltinVariant.GbtOnRidgeForRidge => new GbtHorizonModel(gridStart, step, maxHorizon, onRidge: true),
            _ => new RidgeHorizonModel(gridStart, step, maxHorizon),
        };
        var members = new List<OnlineModel> { new SeasonalNaive(cellsPerDay, maxHorizon), new SeasonalNaive(cellsPerDay, maxHorizon, periodDays: 7), learnt };
        switch (variant)
        {
            case BuiltinVariant.RidgeEnsemble:
                members.Add(new RidgeHorizonModel(gridStart, step, maxHorizon, halfLifeDays: 5));
                members.Add(new RidgeHorizonModel(gridStart, step, maxHorizon, halfLifeDays: 45));
                break;
            case BuiltinVariant.WithGbt:
                members.Add(new GbtHorizonModel(gridStart, step, maxHorizon));
                break;
            case BuiltinVariant.WithGbtOnRidge:
                members.Add(new GbtHorizonModel(gridStart, step, maxHorizon, onRidge: true));
                break;
        }
        var blend = new BlendedForecaster(cellsPerDay, maxHorizon, [.. members]);
        return variant == BuiltinVariant.Residual ? new ResidualCorrection(blend, maxHorizon) : blend;
    }

    public override string Name => "builtin";

    public IReadOnlyList<OnlineModel> Members => _members;

    protected override void Learn()
    {
        var actual = History[History.Count - 1];
        foreach (var member in _members)
        {
            member.Observe(actual);
        }
    }

    protected override void Predict(Span<double> into)
    {
        var ready = _members.Where(m => m.Ready).ToArray();
        if (ready.Length == 0)
        {
            ready = [_members[0]];
        }
        for (var m = 0; m < ready.Length; m++)
        {
            ready[m].Forecast(_memberForecasts[m].AsSpan(0, into.Length));
        }
        foreach (var member in _members.Except(ready))
        {
            member.Forecast(_scratch.AsSpan(0, into.Length)); // scored all the same, so its record exists once it is ready
        }
        for (var i = 0; i < into.Length; i++)
        {
            var anyUnscored = false;
            for (var m = 0; m < ready.Length; m++)
            {
                anyUnscored |= double.IsNaN(ready[m].ExpectedAbsoluteError(i + 1));
            }
            double weighted = 0, total = 0;
            for (var m = 0; m < ready.Length; m++)
            {
                var error = ready[m].ExpectedAbsoluteError(i + 1);
                var weight = anyUnscored ? 1 : 1 / Math.Max(Math.Pow(error, WeightPower), 1e-9);
                weighted += weight * _memberForecasts[m][i];
                total += weight;
            }
            into[i] = weighted / total;
        }
    }
}
