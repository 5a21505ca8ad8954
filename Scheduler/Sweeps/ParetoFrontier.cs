namespace GreenTrain.Scheduler.Sweeps;

/// <summary>The points no other point beats on both axes: a higher score for no more energy, or less energy for no lower score.</summary>
public static class ParetoFrontier
{
    /// <summary>The non-dominated items, cheapest first (each next one scores strictly higher and costs more).</summary>
    public static List<T> Of<T>(IEnumerable<T> items, Func<T, double> score, Func<T, double> energy)
    {
        var frontier = new List<T>();
        var best = double.NegativeInfinity;
        foreach (var item in items.OrderBy(energy).ThenByDescending(score))
        {
            if (score(item) > best)
            {
                frontier.Add(item);
                best = score(item);
            }
        }
        return frontier;
    }
}
