namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>
/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020,
/// Algorithm 2): whenever a trial slot is free, promote a configuration that is in the top 1/eta of its rung and not
/// yet promoted, looking from the highest rung down; if there is none, start a new configuration at the bottom rung.
/// No rung waits to be complete, so a slow or stopped trial never holds the search up. Ends when
/// <c>trials</c> configurations have started and nothing more can be promoted.
/// </summary>
public sealed class Asha : ISweepAlgorithm
{
    private readonly ConfigurationDrawer _drawer;
    private readonly int _trials;
    private readonly int _maxResource;
    private readonly int _eta;
    private readonly int _topRung;
    private readonly List<List<(Configuration Configuration, double Score)>> _rungs = [];
    private readonly List<HashSet<int>> _promoted = [];
    private int _started;

    public Asha(ConfigurationDrawer drawer, int trials, int minResource, int maxResource, int eta)
    {
        _drawer = drawer;
        _trials = trials;
        _maxResource = maxResource;
        _eta = eta;
        _topRung = RungLadder.MaxRung(minResource, maxResource, eta);
        for (var k = 0; k <= _topRung; k++)
        {
            _rungs.Add([]);
            _promoted.Add([]);
        }
    }

    public TrialRequest? Next()
    {
        for (var k = _topRung - 1; k >= 0; k--)
        {
            // Top floor(|rung|/eta): with fewer than eta results in a rung, none of them is known to be in its top third.
            var candidates = RungLadder.Top(_rungs[k], _rungs[k].Count / _eta);
            if (candidates.FirstOrDefault(c => !_promoted[k].Contains(c.Id)) is { } promote)
            {
                _promoted[k].Add(promote.Id);
                return Request(promote, k + 1);
            }
        }
        if (_started >= _trials) return null;
        _started++;
        return Request(_drawer.Draw(), 0);
    }

    public void Report(TrialRequest request, double score) => _rungs[request.Rung].Add((request.Configuration, score));

    private TrialRequest Request(Configuration configuration, int rung) =>
        new(configuration, RungLadder.Resource(_maxResource, _eta, _topRung, rung), 0, rung);
}
