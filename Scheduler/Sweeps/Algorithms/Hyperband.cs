namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>
/// Hyperband (Li et al., JMLR 2018, Algorithm 1): brackets s = s_max..0, each a successive halving of
/// n = ceil((s_max+1)/(s+1)·eta^s) fresh configurations starting at R·eta^-s, so that it hedges between many
/// cheap trials and a few full ones. For R = 81, r_min = 1, eta = 3 the brackets start with 81, 34, 15, 8 and 5.
/// </summary>
public sealed class Hyperband : ISweepAlgorithm
{
    private readonly ConfigurationDrawer _drawer;
    private readonly int _minResource;
    private readonly int _maxResource;
    private readonly int _eta;
    private readonly int _maxBracket;
    private int _bracket;
    private SuccessiveHalving? _current;

    public Hyperband(ConfigurationDrawer drawer, int minResource, int maxResource, int eta)
    {
        _drawer = drawer;
        _minResource = minResource;
        _maxResource = maxResource;
        _eta = eta;
        _maxBracket = RungLadder.MaxRung(minResource, maxResource, eta);
        _bracket = _maxBracket;
    }

    /// <summary>Each bracket's (s, configurations, first resource), s from s_max down to 0.</summary>
    public static IReadOnlyList<(int S, int Configurations, int Resource)> Brackets(int minResource, int maxResource, int eta)
    {
        var sMax = RungLadder.MaxRung(minResource, maxResource, eta);
        return [.. Enumerable.Range(0, sMax + 1).Reverse().Select(s => (s,
            (int)Math.Ceiling((sMax + 1) / (double)(s + 1) * Math.Pow(eta, s)), RungLadder.Resource(maxResource, eta, sMax, sMax - s)))];
    }

    public TrialRequest? Next()
    {
        while (true)
        {
            if (_current?.Next() is { } next) return next;
            if (_bracket < 0) return null;
            var (s, n, resource) = Brackets(_minResource, _maxResource, _eta)[_maxBracket - _bracket];
            _current = new SuccessiveHalving([.. Enumerable.Range(0, n).Select(_ => _drawer.Draw())], resource, _maxResource, _eta, bracket: s);
            _bracket--;
        }
    }

    public void Report(TrialRequest request, double score) => _current!.Report(request, score);
}
