namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// The least-emission set of cells for a job that may pause (and, given several regions, move), counting
/// the energy of every pause and move. Choosing exactly k cells with a cost per run is a knapsack-like
/// problem; we solve its Lagrangian instead: for a price λ per cell, a dynamic programme over time with
/// two states per region (running there, or paused with the checkpoint there) finds the best path in
/// O(cells x regions), and a bisection on λ finds the price at which the path runs exactly k cells. With
/// no pause cost this is exactly "the k cleanest cells" (Let's Wait Awhile's interruptible strategy); with
/// a cost it merges short gaps whose pause would cost more than it saves. Small enough problems go to
/// <see cref="ExactProgramme"/> instead, which has no relaxation gap.
/// </summary>
internal static class SegmentedSchedule
{
    private const int MaxBisections = 48;

    /// <summary>Above this many states (cells x k x regions) the exact programme gives way to the Lagrangian one.</summary>
    internal const long ExactBudget = 400_000;

    public static List<PlannedCell>? Solve(JobSpace s, int[] regions)
    {
        if (regions.Length == 1 && s.Job.Costs.PauseKWh == 0 && (regions[0] == s.StartRegion || s.StartRegion < 0))
        {
            return CleanestCells(s, regions[0]);
        }
        return (long)(s.End - s.First) * (s.CellsNeeded + 1) * regions.Length <= ExactBudget
            ? ExactProgramme.Solve(s, regions)
            : SolveByPrice(s, regions);
    }

    /// <summary>With free pauses in one region the optimum is simply the k cleanest free cells (earliest first on ties).</summary>
    private static List<PlannedCell>? CleanestCells(JobSpace s, int region)
    {
        var free = Enumerable.Range(s.First, s.End - s.First).Where(t => !s.Blocked[region][t]).ToArray();
        if (free.Length < s.CellsNeeded)
        {
            return null;
        }
        var keys = free.Select(t => s.Intensity[region][t]).ToArray();
        Array.Sort(keys, free);
        var chosen = free.AsSpan(0, s.CellsNeeded).ToArray();
        Array.Sort(chosen);
        return chosen.Select(t => new PlannedCell(t, region)).ToList();
    }

    internal static List<PlannedCell>? SolveByPrice(JobSpace s, int[] regions)
    {
        var k = s.CellsNeeded;
        var maxRun = 0.0;
        var maxMove = 0.0;
        foreach (var r in regions)
        {
            for (var t = s.First; t < s.End; t++)
            {
                var run = s.RunGrams(r, t);
                if (!double.IsInfinity(run))
                {
                    maxRun = Math.Max(maxRun, run);
                }
                maxMove = Math.Max(maxMove, s.MoveGrams(r, t));
            }
        }
        double lo = -1, hi = maxRun + maxMove + 1;
        var dp = new Programme(s, regions);
        if (dp.Run(hi, trace: false) < k)
        {
            return null; // even at any price there are too few free cells
        }
        for (var i = 0; i < MaxBisections; i++)
        {
            var mid = (lo + hi) / 2;
            var count = dp.Run(mid, trace: false);
            if (count == k)
            {
                hi = mid;
                break;
            }
            if (count > k)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        // The exact count can fall between two prices: trim the path above and grow the one below, keep the cheaper.
        dp.Run(hi, trace: true);
        var above = dp.Backtrack();
        Trim(above, k, s);
        dp.Run(lo, trace: true);
        var below = dp.Backtrack();
        if (!Grow(below, k, s))
        {
            return above;
        }
        return CellAssignment.Price(below, s).Grams < CellAssignment.Price(above, s).Grams ? below : above;
    }

    /// <summary>Adds the cheapest free cells next to a run (no new pause), else anywhere, until k are chosen.</summary>
    private static bool Grow(List<PlannedCell> cells, int k, JobSpace s)
    {
        while (cells.Count < k)
        {
            var taken = cells.Select(c => c.Cell).ToHashSet();
            PlannedCell? pick = null;
            var pickGrams = double.PositiveInfinity;
            foreach (var c in cells)
            {
                foreach (var t in (int[])[c.Cell - 1, c.Cell + 1])
                {
                    if (t >= s.First && t < s.End && !taken.Contains(t) && s.RunGrams(c.Region, t) < pickGrams)
                    {
                        (pick, pickGrams) = (new PlannedCell(t, c.Region), s.RunGrams(c.Region, t));
                    }
                }
            }
            if (pick is null)
            {
                for (var t = s.First; t < s.End; t++)
                {
                    for (var r = 0; r < s.Regions.Length && !taken.Contains(t); r++)
                    {
                        if (s.RunGrams(r, t) < pickGrams)
                        {
                            (pick, pickGrams) = (new PlannedCell(t, r), s.RunGrams(r, t));
                        }
                    }
                }
            }
            if (pick is not { } chosen)
            {
                return false;
            }
            var index = cells.FindIndex(c => c.Cell > chosen.Cell);
            cells.Insert(index < 0 ? cells.Count : index, chosen);
        }
        return true;
    }

    /// <summary>Ties at the final price can select a few cells too many: drop the dearest run ends, which adds no pause.</summary>
    private static void Trim(List<PlannedCell> cells, int k, JobSpace s)
    {
        while (cells.Count > k)
        {
            var worst = -1;
            var worstGrams = double.NegativeInfinity;
            for (var i = 0; i < cells.Count; i++)
            {
                var runStart = i == 0 || cells[i - 1].Cell != cells[i].Cell - 1 || cells[i - 1].Region != cells[i].Region;
                var runEnd = i == cells.Count - 1 || cells[i + 1].Cell != cells[i].Cell + 1 || cells[i + 1].Region != cells[i].Region;
                var grams = s.RunGrams(cells[i].Region, cells[i].Cell);
                if ((runStart || runEnd) && grams > worstGrams)
                {
                    (worst, worstGrams) = (i, grams);
                }
            }
            cells.RemoveAt(worst);
        }
    }
}
