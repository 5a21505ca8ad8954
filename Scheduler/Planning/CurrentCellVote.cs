namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// For one planning pass: whether the forecast-error scenarios run a job's current cell. A scenario's value of the cell
/// h ahead is forecast[h] x (1 + error[h]); the current cell is observed, so it is the same in all. In each scenario,
/// now is among the job's k cheapest cells left when fewer than k cells ahead of it (before the deadline) are cheaper.
/// The jobs of one pass share the current cell and the forecast and differ only in k and the deadline, so each
/// scenario's running count of cells cheaper than now (and, for the expected cost, its cells in order of value) is made
/// once per region, and each job reads it: the back-test's year of replans costs little more than on the point forecast.
/// </summary>
internal sealed class CurrentCellVote(ForecastScenarios scenarios)
{
    // Per region: counts[s][h] = cells in 1..h that scenario s finds cheaper than the current cell.
    private readonly Dictionary<string, int[][]?> _cheaperThanNow = new(StringComparer.OrdinalIgnoreCase);

    // Per region: each scenario's cells ahead, cheapest first.
    private readonly Dictionary<string, (double Value, int Cell)[][]> _byValue = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the scenarios run the job now (cell <see cref="JobSpace.First"/>, in the region at index
    /// <paramref name="region"/>), with the share of scenarios in which now is among its cheapest cells; null when there
    /// are no scenarios for the region, or the job cannot start in the observed cell.
    /// </summary>
    public (bool Run, double Share)? RunsNow(JobSpace s, int region)
    {
        var name = s.Regions[region];
        if (s.First != 0 || s.End <= s.First || CheaperThanNow(name, s.Intensity[region]) is not { } counts)
        {
            return null;
        }
        var blocked = s.Blocked[region];
        if (blocked[0])
        {
            return (false, 0);
        }
        var blockedAhead = false; // a cell no slot is free in cannot be run in any scenario, however cheap
        for (var t = 1; t < s.End && !blockedAhead; t++)
        {
            blockedAhead = blocked[t];
        }
        var errors = scenarios.RelativeErrors[name];
        var running = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var cheaper = blockedAhead ? CountCheaper(s.Intensity[region], errors[i], blocked, s.End) : counts[i][s.End - 1];
            running += cheaper < s.CellsNeeded ? 1 : 0;
        }
        var share = running / (double)counts.Length;
        return scenarios.Rule == ScenarioRule.Vote || blockedAhead
            ? (share >= scenarios.RunShare, share)
            : (s.Intensity[region][0] < ExpectedKthCheapest(name, s.Intensity[region], errors, s.End, s.CellsNeeded), share);
    }

    /// <summary>The mean over the scenarios of the k-th cheapest cell in 1..end-1: what the k-th cell of the work costs if it waits.</summary>
    private double ExpectedKthCheapest(string region, double[] intensity, double[][] errors, int end, int k)
    {
        if (!_byValue.TryGetValue(region, out var orders))
        {
            orders = errors.Select(e => Enumerable.Range(1, intensity.Length - 1).Select(h => (Scenario(intensity, e, h), h)).OrderBy(p => p.Item1).ToArray()).ToArray();
            _byValue[region] = orders;
        }
        double sum = 0;
        foreach (var order in orders)
        {
            var seen = 0;
            foreach (var (value, cell) in order)
            {
                if (cell < end && ++seen == k)
                {
                    sum += value;
                    break;
                }
            }
        }
        return sum / orders.Length;
    }

    private int[][]? CheaperThanNow(string region, double[] intensity)
    {
        if (_cheaperThanNow.TryGetValue(region, out var cached))
        {
            return cached;
        }
        int[][]? counts = null;
        if (scenarios.RelativeErrors.TryGetValue(region, out var errors) && errors.Length > 0)
        {
            var now = intensity[0];
            counts = new int[errors.Length][];
            for (var i = 0; i < errors.Length; i++)
            {
                var running = counts[i] = new int[intensity.Length];
                for (var h = 1; h < intensity.Length; h++)
                {
                    running[h] = running[h - 1] + (Scenario(intensity, errors[i], h) < now ? 1 : 0);
                }
            }
        }
        _cheaperThanNow[region] = counts;
        return counts;
    }

    private static int CountCheaper(double[] intensity, double[] errors, bool[] blocked, int end)
    {
        var cheaper = 0;
        for (var h = 1; h < end; h++)
        {
            cheaper += !blocked[h] && Scenario(intensity, errors, h) < intensity[0] ? 1 : 0;
        }
        return cheaper;
    }

    private static double Scenario(double[] intensity, double[] errors, int h) =>
        intensity[h] * (1 + (h < errors.Length ? errors[h] : 0));
}
