namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>
/// Synchronous successive halving (Jamieson and Talwalkar 2016; the inner loop of Hyperband): n configurations at
/// the first rung's resource, then the best floor(n_i/eta) of each rung get eta times the resource, until a rung
/// reaches R. With n = 81, r_min = 1, R = 81, eta = 3 the rungs are 81@1, 27@3, 9@9, 3@27, 1@81.
/// </summary>
public sealed class SuccessiveHalving : ISweepAlgorithm
{
    private readonly int _eta;
    private readonly int _rungs;
    private readonly int _maxResource;
    private readonly int _bracket;
    private readonly Queue<TrialRequest> _pending = new();
    private readonly List<(Configuration, double)> _results = [];
    private int _rung;
    private int _rungSize;

    /// <param name="firstResource">The first rung's resource; rungs run up to <paramref name="maxResource"/> by factors of eta.</param>
    public SuccessiveHalving(IReadOnlyList<Configuration> configurations, int firstResource, int maxResource, int eta, int bracket = 0)
    {
        _eta = eta;
        _maxResource = maxResource;
        _bracket = bracket;
        _rungs = RungLadder.MaxRung(firstResource, maxResource, eta);
        Enqueue(configurations);
    }

    /// <summary>(configurations, resource) of each rung as planned: the table of Li et al. for one bracket.</summary>
    public static IReadOnlyList<(int Configurations, int Resource)> Plan(int configurations, int firstResource, int maxResource, int eta)
    {
        var rungs = RungLadder.MaxRung(firstResource, maxResource, eta);
        var plan = new List<(int, int)>();
        for (int k = 0, n = configurations; k <= rungs && n > 0; k++, n = n / eta)
        {
            plan.Add((n, RungLadder.Resource(maxResource, eta, rungs, k)));
        }
        return plan;
    }

    public TrialRequest? Next()
    {
        if (_pending.Count == 0 && _results.Count == _rungSize && _rung < _rungs)
        {
            // The rung is complete: promote its best 1/eta (floor, as in Li et al.; none when fewer than eta ran).
            var keep = _rungSize / _eta;
            var promoted = RungLadder.Top(_results, keep);
            _rung++;
            Enqueue(promoted);
        }
        return _pending.TryDequeue(out var next) ? next : null;
    }

    public void Report(TrialRequest request, double score) => _results.Add((request.Configuration, score));

    private void Enqueue(IReadOnlyList<Configuration> configurations)
    {
        _results.Clear();
        _rungSize = configurations.Count;
        var resource = RungLadder.Resource(_maxResource, _eta, _rungs, _rung);
        foreach (var configuration in configurations) _pending.Enqueue(new TrialRequest(configuration, resource, _bracket, _rung));
    }
}
