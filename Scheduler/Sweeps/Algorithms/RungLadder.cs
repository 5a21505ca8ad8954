namespace GreenTrain.Scheduler.Sweeps.Algorithms;

/// <summary>
/// The arithmetic shared by successive halving, ASHA and Hyperband (Li et al., JMLR 2018, Algorithm 1):
/// s_max = floor(log_eta(R / r_min)) and rung resources r_min·eta^k, the last one exactly R.
/// </summary>
public static class RungLadder
{
    /// <summary>The largest s with minResource·eta^s ≤ maxResource (integer arithmetic: no log rounding at exact powers).</summary>
    public static int MaxRung(int minResource, int maxResource, int eta)
    {
        var s = 0;
        for (long r = minResource; r * eta <= maxResource; r *= eta) s++;
        return s;
    }

    /// <summary>Rung k's resource in a ladder of <paramref name="rungs"/>+1 rungs ending at R: R / eta^(rungs-k), rounded, at least 1.</summary>
    public static int Resource(int maxResource, int eta, int rungs, int k) =>
        Math.Max(1, (int)Math.Round(maxResource / Math.Pow(eta, rungs - k)));

    /// <summary>How many of <paramref name="count"/> go on from a rung: floor(count / eta), at least one while any ran.</summary>
    public static int Promoted(int count, int eta) => count == 0 ? 0 : Math.Max(1, count / eta);

    /// <summary>The best <paramref name="keep"/> by score; ties go to the configuration drawn first, so the outcome is reproducible.</summary>
    public static List<Configuration> Top(IEnumerable<(Configuration Configuration, double Score)> results, int keep) =>
        [.. results.OrderByDescending(r => r.Score).ThenBy(r => r.Configuration.Id).Take(keep).Select(r => r.Configuration)];
}
