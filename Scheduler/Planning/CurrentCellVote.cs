namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// For one planning pass: in what share of the forecast-error scenarios the current cell is among a job's k cheapest
/// cells left before its deadline. A scenario's value of the cell h ahead is forecast[h] x (1 + error[h]); the current
/// cell is observed, so it is the same in all. The jobs of one pass share the current cell and the forecast and differ
/// only in k and the deadline, so each scenario's running count of cells cheaper than now is made once per region
/// (O(scenarios x cells)) and each job reads it in O(scenarios): the vote costs the back-test's year of replans about
/// as much as the point plan's own sort.
/// </summary>
internal sealed class CurrentCellVote(ForecastScenarios scenarios)
{
    // Per region: counts[s][h] = cells in 1..h that scenario s finds cheaper than the current cell.
    private readonly Dictionary<string, int[][]?> _cheaperThanNow = new(StringComparer.OrdinalIgnoreCase);

    public double RunShare => scenarios.RunShare;

    /// <summary>
    /// The share of scenarios in which running now (cell <see cref="JobSpace.First"/>, in the region at index
    /// <paramref name="region"/>) is among the job's cheapest cells; null when there are no scenarios for the region,
    /// or the job cannot start in the observed cell.
    /// </summary>
    public double? ShareRunningNow(JobSpace s, int region)
    {
        if (s.First != 0 || s.End <= s.First || CheaperThanNow(s.Regions[region], s.Intensity[region]) is not { } counts)
        {
            return null;
        }
        var blocked = s.Blocked[region];
        if (blocked[0])
        {
            return 0;
        }
        var blockedAhead = 0; // a cell no slot is free in cannot be run in any scenario, however cheap
        for (var t = 1; t < s.End; t++)
        {
            blockedAhead += blocked[t] ? 1 : 0;
        }
        var running = 0;
        var errors = scenarios.RelativeErrors[s.Regions[region]];
        for (var i = 0; i < counts.Length; i++)
        {
            var cheaper = counts[i][s.End - 1];
            if (blockedAhead > 0)
            {
                cheaper = CountCheaper(s.Intensity[region], errors[i], blocked, s.End);
            }
            running += cheaper < s.CellsNeeded ? 1 : 0;
        }
        return counts.Length == 0 ? null : running / (double)counts.Length;
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
