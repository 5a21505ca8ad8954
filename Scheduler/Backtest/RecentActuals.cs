using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// The last few days of one region's observed intensity, as the threshold rules may know it at a cell: the cells up to
/// and including the current one, never a later one. Keeps them in a ring, and gives their least and greatest value and
/// one quantile (sorted afresh each cell: a week of cells is a few hundred values).
/// </summary>
internal sealed class RecentActuals(int cells)
{
    private readonly double[] _ring = new double[cells];
    private int _count;
    private int _next;

    public void Add(double value)
    {
        _ring[_next] = value;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>The bounds and the <paramref name="quantile"/> of what is kept; null before the first cell.</summary>
    public RecentIntensity? Summary(double quantile)
    {
        if (_count == 0)
        {
            return null;
        }
        var sorted = _ring[.._count];
        Array.Sort(sorted);
        var at = Math.Clamp((int)Math.Round(quantile * (_count - 1)), 0, _count - 1);
        return new RecentIntensity(sorted[0], sorted[^1], sorted[at]);
    }
}
