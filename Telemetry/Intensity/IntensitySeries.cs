namespace GreenTrain.Telemetry.Intensity;

/// <summary>Grid carbon intensity from a moment on, in gCO2eq/kWh; until the next point, or <paramref name="Until"/> when a source says where its interval ends.</summary>
public readonly record struct IntensityPoint(DateTimeOffset Time, double GramsPerKwh, DateTimeOffset? Until = null);

/// <summary>
/// A region's intensity over time: each point holds until the next one, the last for one usual step.
/// Windows are charged the time-weighted mean over their span, so a window that crosses a boundary pays
/// both prices in proportion.
/// </summary>
public sealed class IntensitySeries
{
    public IntensitySeries(string region, string source, IEnumerable<IntensityPoint> points)
    {
        Region = region;
        Source = source;
        Points = points.OrderBy(p => p.Time).ToArray();
        if (Points.Count == 0)
        {
            throw new ArgumentException($"The intensity series for {region} from {source} has no points.", nameof(points));
        }
        var steps = Points.Zip(Points.Skip(1), (a, b) => b.Time - a.Time).Where(s => s > TimeSpan.Zero).Order().ToArray();
        Resolution = steps.Length == 0 ? TimeSpan.FromHours(1) : steps[steps.Length / 2];
    }

    public string Region { get; }

    /// <summary>Where the values came from, for the report (a file name, "scheduler forecast cache").</summary>
    public string Source { get; }

    public IReadOnlyList<IntensityPoint> Points { get; }

    /// <summary>The usual spacing of points (median), also how long the last point holds.</summary>
    public TimeSpan Resolution { get; }

    public DateTimeOffset CoverageStart => Points[0].Time;

    public DateTimeOffset CoverageEnd => Points[^1].Until ?? Points[^1].Time + Resolution;

    /// <summary>Time-weighted mean over [start, end] of the covered part; null when none of it is covered.</summary>
    public double? MeanOver(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            (start, end) = (end, start);
        }
        if (end == start)
        {
            return ValueAt(start);
        }
        double weighted = 0, seconds = 0;
        var first = Math.Max(IndexAtOrBefore(start), 0);
        for (var i = first; i < Points.Count && Points[i].Time < end; i++)
        {
            var from = Max(Points[i].Time, start);
            var to = Min(EndOf(i), end);
            if (to > from)
            {
                var span = (to - from).TotalSeconds;
                weighted += Points[i].GramsPerKwh * span;
                seconds += span;
            }
        }
        return seconds > 0 ? weighted / seconds : null;
    }

    public double? ValueAt(DateTimeOffset time)
    {
        var i = IndexAtOrBefore(time);
        return i >= 0 && time < EndOf(i) ? Points[i].GramsPerKwh : null;
    }

    /// <summary>Where point i stops holding: the next point, its own end if it has one (a gap follows), or one step for the last.</summary>
    private DateTimeOffset EndOf(int i)
    {
        var next = i + 1 < Points.Count ? Points[i + 1].Time : Points[i].Time + Resolution;
        return Points[i].Until is { } until && until < next ? until : next;
    }

    /// <summary>Mean of all points, for the "one average" fallback when a window falls outside the series.</summary>
    public double Mean => Points.Average(p => p.GramsPerKwh);

    private int IndexAtOrBefore(DateTimeOffset time)
    {
        int low = 0, high = Points.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (Points[mid].Time <= time)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
