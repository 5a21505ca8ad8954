namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// The exact version of <see cref="Programme"/>: the state also counts the cells run so far, so the best
/// path that runs exactly k cells is found with no price to tune and no gap, at O(cells x k x regions).
/// Used whenever that fits the budget, which covers jobs of up to a few days at 15-minute cells.
/// </summary>
internal static class ExactProgramme
{
    public static List<PlannedCell>? Solve(JobSpace s, int[] regions)
    {
        int r = regions.Length, k = s.CellsNeeded, n = s.End - s.First, width = (k + 1) * r;
        var startLocal = Array.IndexOf(regions, s.StartRegion);
        var startCostsMove = (s.IsRunning || s.IsPaused) && startLocal < 0;
        double[] on = new double[width], off = new double[width], nextOn = new double[width], nextOff = new double[width];
        Array.Fill(on, double.PositiveInfinity);
        Array.Fill(off, double.PositiveInfinity);
        var notStarted = double.PositiveInfinity;
        if (s.IsRunning && startLocal >= 0)
        {
            on[startLocal] = 0; // count 0, running where it is
        }
        else if (s.IsPaused && startLocal >= 0)
        {
            off[startLocal] = 0;
        }
        else
        {
            notStarted = 0;
        }
        // Back-pointers: for "on" the predecessor state (j on, r + j off, 2r not started); for "off" whether it came from "on".
        var predOn = new byte[n * width];
        var offFromOn = new bool[n * width];
        var notStartedCode = (byte)(2 * r);
        for (var t = s.First; t < s.End; t++)
        {
            var row = (t - s.First) * width;
            for (var c = 0; c <= k; c++)
            {
                var baseIndex = c * r;
                for (var j = 0; j < r; j++)
                {
                    var fromOn = on[baseIndex + j] <= off[baseIndex + j];
                    nextOff[baseIndex + j] = fromOn ? on[baseIndex + j] : off[baseIndex + j];
                    offFromOn[row + baseIndex + j] = fromOn;
                    nextOn[baseIndex + j] = double.PositiveInfinity;
                }
                if (c == 0)
                {
                    continue;
                }
                var prev = (c - 1) * r;
                int best1 = -1, best2 = -1;
                double best1Value = double.PositiveInfinity, best2Value = double.PositiveInfinity;
                for (var j = 0; j < r; j++)
                {
                    var value = Math.Min(on[prev + j], off[prev + j]);
                    if (value < best1Value)
                    {
                        (best2, best2Value, best1, best1Value) = (best1, best1Value, j, value);
                    }
                    else if (value < best2Value)
                    {
                        (best2, best2Value) = (j, value);
                    }
                }
                for (var j = 0; j < r; j++)
                {
                    var region = regions[j];
                    var run = s.RunGrams(region, t);
                    if (double.IsPositiveInfinity(run))
                    {
                        continue;
                    }
                    var best = on[prev + j];
                    var code = (byte)j;
                    var candidate = off[prev + j] + s.PauseGrams(region, t);
                    if (candidate < best)
                    {
                        (best, code) = (candidate, (byte)(r + j));
                    }
                    if (c == 1)
                    {
                        candidate = notStarted + (startCostsMove ? s.MoveGrams(region, t) : 0);
                        if (candidate < best)
                        {
                            (best, code) = (candidate, notStartedCode);
                        }
                    }
                    var other = best1 != j ? best1 : best2;
                    if (other >= 0)
                    {
                        candidate = (best1 != j ? best1Value : best2Value) + s.MoveGrams(region, t);
                        if (candidate < best)
                        {
                            var otherOn = on[prev + other] <= off[prev + other];
                            (best, code) = (candidate, (byte)(otherOn ? other : r + other));
                        }
                    }
                    nextOn[baseIndex + j] = run + best;
                    predOn[row + baseIndex + j] = code;
                }
            }
            (on, nextOn) = (nextOn, on);
            (off, nextOff) = (nextOff, off);
        }
        var finalState = -1;
        var finalValue = double.PositiveInfinity;
        for (var j = 0; j < r; j++)
        {
            if (on[k * r + j] < finalValue)
            {
                (finalValue, finalState) = (on[k * r + j], j);
            }
            if (off[k * r + j] < finalValue)
            {
                (finalValue, finalState) = (off[k * r + j], r + j);
            }
        }
        if (finalState < 0)
        {
            return null;
        }
        var cells = new List<PlannedCell>(k);
        var count = k;
        for (var t = s.End - 1; t >= s.First && finalState != notStartedCode && count >= 0; t--)
        {
            var row = (t - s.First) * width + count * r;
            if (finalState < r)
            {
                cells.Add(new PlannedCell(t, regions[finalState]));
                finalState = predOn[row + finalState];
                count--;
            }
            else
            {
                var j = finalState - r;
                finalState = offFromOn[row + j] ? j : r + j;
            }
        }
        cells.Reverse();
        return cells;
    }
}
