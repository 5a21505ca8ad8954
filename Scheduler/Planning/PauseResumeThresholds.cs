namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// The thresholds of the online pause-and-resume algorithm (Lechowicz et al. 2023, the k-min search it builds on,
/// without switching costs): a job of k cells of work, whose intensity is known to lie in [L, U], runs its i-th cell
/// in the first cell whose intensity is at or below phi_i = U - (U - U/a)(1 + 1/(k a))^(i-1), and runs whatever is left
/// when the deadline leaves no slack. a is the competitive ratio, the root of (1 - 1/theta) / (1 - 1/a) =
/// (1 + 1/(k a))^k with theta = U / L; the thresholds fall from U/a for the first cell to just above L for the last,
/// so the job buys little while intensity is middling and more as it gets cheaper, with no forecast at all.
/// </summary>
public static class PauseResumeThresholds
{
    /// <summary>The threshold for the <paramref name="unit"/>-th cell (1-based) of <paramref name="cells"/> cells of work.</summary>
    public static double For(int unit, int cells, double lower, double upper)
    {
        if (cells < 1 || unit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cells), "A job has at least one cell of work, numbered from 1.");
        }
        if (!(lower > 0) || !(upper > lower))
        {
            return upper; // no spread to wait for (a flat week, or bounds not yet known): every cell is as good as any
        }
        var a = Ratio(cells, upper / lower);
        var i = Math.Min(unit, cells);
        return upper - (upper - upper / a) * Math.Pow(1 + 1 / (cells * a), i - 1);
    }

    /// <summary>The competitive ratio a in (1, theta] for k cells and spread theta, found by bisection (the left side minus the right rises in a).</summary>
    public static double Ratio(int cells, double theta)
    {
        double Gap(double a) => Math.Pow(1 + 1 / (cells * a), cells) * (1 - 1 / a) - (1 - 1 / theta);
        double low = 1, high = theta;
        for (var step = 0; step < 100 && high - low > 1e-12 * high; step++)
        {
            var mid = (low + high) / 2;
            (low, high) = Gap(mid) < 0 ? (mid, high) : (low, mid);
        }
        return (low + high) / 2;
    }
}
