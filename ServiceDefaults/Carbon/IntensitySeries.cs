namespace GreenTrain.ServiceDefaults.Carbon;

/// <summary>
/// A region's intensity over time: intervals in time order without overlaps. Gaps are allowed and stay gaps:
/// a grid cell over a gap is NaN (<see cref="ToGrid"/>), a moment in a gap has no value (<see cref="At"/>), and a
/// mean over a span counts only its covered part (<see cref="MeanOver"/>), so callers decide how to fill a gap
/// instead of silently reading a zero. The Scheduler plans with it; Telemetry prices energy windows with it.
/// </summary>
public sealed class IntensitySeries
{
    /// <param name="source">Where the values came from, for reports; by default the first interval's source.</param>
    public IntensitySeries(string region, IReadOnlyList<IntensityInterval> intervals, string? source = null)
    {
        Region = region;
        var sorted = intervals.OrderBy(i => i.Start).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End)
            {
                throw new ArgumentException(
                    $"Intervals of {region} overlap at {sorted[i].Start:O}: a series needs one value per moment.", nameof(intervals));
            }
        }
        Intervals = sorted;
        Source = source ?? (sorted.Length > 0 ? sorted[0].Source : "none");
    }

    public string Region { get; }

    /// <summary>Where the values came from ("de_2020.csv", "scheduler forecast cache (uk-carbon-intensity)"), for reports.</summary>
    public string Source { get; }

    public IReadOnlyList<IntensityInterval> Intervals { get; }

    public DateTimeOffset Start => Intervals.Count > 0 ? Intervals[0].Start : DateTimeOffset.MinValue;

    public DateTimeOffset End => Intervals.Count > 0 ? Intervals[^1].End : DateTimeOffset.MinValue;

    /// <summary>The most common interval length: the series' resolution, even where it changes part way.</summary>
    public TimeSpan TypicalStep => Intervals.Count == 0 ? TimeSpan.Zero
        : Intervals.GroupBy(i => i.Duration).OrderByDescending(g => g.Count()).First().Key;

    public IntensitySeries Slice(DateTimeOffset from, DateTimeOffset to) =>
        new(Region, Intervals.Where(i => i.End > from && i.Start < to).ToArray(), Source);

    /// <summary>Time-weighted mean over [start, end] of its covered part (a moment: the value then); null when none of it is covered.</summary>
    public double? MeanOver(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            (start, end) = (end, start);
        }
        if (end == start)
        {
            return At(start);
        }
        double weighted = 0, seconds = 0;
        for (var i = FirstEndingAfter(start); i < Intervals.Count && Intervals[i].Start < end; i++)
        {
            var overlap = (Min(Intervals[i].End, end) - Max(Intervals[i].Start, start)).TotalSeconds;
            if (overlap > 0)
            {
                weighted += overlap * Intervals[i].GramsPerKWh;
                seconds += overlap;
            }
        }
        return seconds > 0 ? weighted / seconds : null;
    }

    /// <summary>The time-weighted mean of the whole series, for the "one average" fallback when a window falls outside it.</summary>
    public double Mean => Intervals.Count == 0 ? double.NaN
        : Intervals.Sum(i => i.GramsPerKWh * i.Duration.TotalSeconds) / Intervals.Sum(i => i.Duration.TotalSeconds);

    /// <summary>
    /// Samples the series onto a regular grid: each cell is the time-weighted mean of the intervals that
    /// overlap it, so a 30-minute trace read at 15 minutes repeats values and a 5-minute one is averaged.
    /// A cell with no overlap at all is NaN.
    /// </summary>
    public double[] ToGrid(DateTimeOffset gridStart, TimeSpan step, int cells)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The grid step must be positive.");
        }
        var result = new double[cells];
        var next = 0;
        for (var c = 0; c < cells; c++)
        {
            var cellStart = gridStart + step * c;
            var cellEnd = cellStart + step;
            while (next < Intervals.Count && Intervals[next].End <= cellStart)
            {
                next++;
            }
            double weighted = 0, covered = 0;
            for (var i = next; i < Intervals.Count && Intervals[i].Start < cellEnd; i++)
            {
                var interval = Intervals[i];
                var overlap = (Min(interval.End, cellEnd) - Max(interval.Start, cellStart)).TotalSeconds;
                if (overlap > 0)
                {
                    weighted += overlap * interval.GramsPerKWh;
                    covered += overlap;
                }
            }
            result[c] = covered > 0 ? weighted / covered : double.NaN;
        }
        return result;
    }

    /// <summary>The intensity in force at a moment, or null inside a gap or outside the series.</summary>
    public double? At(DateTimeOffset moment)
    {
        var lo = 0;
        var hi = Intervals.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var interval = Intervals[mid];
            if (moment < interval.Start)
            {
                hi = mid - 1;
            }
            else if (moment >= interval.End)
            {
                lo = mid + 1;
            }
            else
            {
                return interval.GramsPerKWh;
            }
        }
        return null;
    }

    /// <summary>The index of the first interval that ends after a moment (binary search; Count when none does).</summary>
    private int FirstEndingAfter(DateTimeOffset moment)
    {
        int lo = 0, hi = Intervals.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Intervals[mid].End <= moment)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
