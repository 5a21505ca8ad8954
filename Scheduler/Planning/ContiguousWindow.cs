namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// The best single window: for each allowed region, slide a window of the needed length over the cells
/// before the deadline and keep the one with the least emissions (a running sum, so O(cells) per region).
/// Starting anywhere but where a running job already is costs a pause or a move.
/// </summary>
internal static class ContiguousWindow
{
    public static List<PlannedCell>? Solve(JobSpace s, IReadOnlyList<int> regions)
    {
        var k = s.CellsNeeded;
        var bestGrams = double.PositiveInfinity;
        int bestRegion = -1, bestStart = -1;
        foreach (var r in regions)
        {
            double sum = 0;
            var blocked = 0;
            for (var t = s.First; t < s.End; t++)
            {
                if (s.Blocked[r][t])
                {
                    blocked++;
                }
                else
                {
                    sum += s.EnergyPerCell * s.Intensity[r][t];
                }
                var start = t - k + 1;
                if (start > s.First)
                {
                    var leaving = start - 1;
                    if (s.Blocked[r][leaving])
                    {
                        blocked--;
                    }
                    else
                    {
                        sum -= s.EnergyPerCell * s.Intensity[r][leaving];
                    }
                }
                if (start < s.First || blocked > 0)
                {
                    continue;
                }
                var grams = sum + EntryGrams(s, r, start);
                // Strictly less: among equal windows the earliest wins, which finishes soonest.
                if (grams < bestGrams - 1e-9)
                {
                    (bestGrams, bestRegion, bestStart) = (grams, r, start);
                }
            }
        }
        return bestRegion < 0 ? null : Enumerable.Range(bestStart, k).Select(t => new PlannedCell(t, bestRegion)).ToList();
    }

    private static double EntryGrams(JobSpace s, int region, int start)
    {
        if (s.IsRunning)
        {
            return region != s.StartRegion ? s.MoveGrams(region, start) : start == s.First ? 0 : s.PauseGrams(region, start);
        }
        if (s.IsPaused)
        {
            return region != s.StartRegion ? s.MoveGrams(region, start) : s.PauseGrams(region, start);
        }
        return 0;
    }
}
