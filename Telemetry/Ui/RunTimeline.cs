using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Ui;

/// <summary>A run, pause or move between two times; region is where it ran (or moved to), when known.</summary>
public sealed record ActualInterval(string Kind, DateTimeOffset Start, DateTimeOffset End, string? Region);

/// <summary>Mean power of one device kind over one window, in watts.</summary>
public sealed record PowerSpan(DateTimeOffset Start, DateTimeOffset End, string Kind, double Watts, string Phase);

/// <summary>
/// What actually happened to a run over wall time, read from its energy windows: the power per device kind, and
/// the intervals it ran, paused or moved. A worker stops measuring while an experiment is paused, so a pause is
/// either a window in the paused phase or a gap between windows longer than <see cref="GapTolerance"/>; a gap
/// after which the run continues in another planned region is a move.
/// </summary>
public static class RunTimeline
{
    /// <summary>Gaps up to this long are the time between two windows of one running attempt, not a pause.</summary>
    public static readonly TimeSpan GapTolerance = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<PowerSpan> Power(IReadOnlyList<EnergyWindow> windows) =>
        windows.SelectMany(w => w.Devices.GroupBy(d => d.Kind).Select(g => new PowerSpan(w.Start, w.End, Wire(g.Key),
            Math.Round(g.Sum(d => d.AveragePowerWatts), 3), Wire(w.Phase)))).ToList();

    /// <param name="windows">The run's windows (any order).</param>
    /// <param name="plans">The plans made for it, oldest first: a run interval's region is the one planned at its start.</param>
    /// <param name="fallbackRegion">The region when no plan covers a run (the run info's region).</param>
    public static IReadOnlyList<ActualInterval> Intervals(IReadOnlyList<EnergyWindow> windows, IReadOnlyList<PlanSnapshot> plans, string? fallbackRegion)
    {
        var spans = new List<ActualInterval>();
        EnergyWindow? previous = null;
        foreach (var w in windows.OrderBy(w => w.Start))
        {
            if (previous is { } p && w.Start - p.End > GapTolerance)
            {
                Add(spans, "pause", p.End, w.Start, null);
            }
            Add(spans, w.Phase == EnergyPhase.Paused ? "pause" : "run", w.Start, w.End,
                w.Phase == EnergyPhase.Paused ? null : RegionAt(plans, w.Start) ?? fallbackRegion);
            previous = w;
        }
        return MarkMoves(spans);
    }

    /// <summary>The region the newest plan made before <paramref name="time"/> put the run in at that time.</summary>
    public static string? RegionAt(IReadOnlyList<PlanSnapshot> plans, DateTimeOffset time) =>
        plans.Where(p => p.PlannedAt <= time).Reverse().SelectMany(p => p.Intervals)
            .FirstOrDefault(i => i.Start <= time && time < i.End)?.Region;

    private static void Add(List<ActualInterval> spans, string kind, DateTimeOffset start, DateTimeOffset end, string? region)
    {
        if (spans.Count > 0 && spans[^1] is var last && last.Kind == kind && last.Region == region && start - last.End <= GapTolerance)
        {
            spans[^1] = last with { End = end };
            return;
        }
        spans.Add(new ActualInterval(kind, start, end, region));
    }

    /// <summary>A pause between runs in two different regions is the move from one to the other.</summary>
    private static IReadOnlyList<ActualInterval> MarkMoves(List<ActualInterval> spans)
    {
        for (var i = 1; i + 1 < spans.Count; i++)
        {
            if (spans[i].Kind == "pause" && spans[i - 1] is { Kind: "run", Region: { } from } && spans[i + 1] is { Kind: "run", Region: { } to }
                && !string.Equals(from, to, StringComparison.OrdinalIgnoreCase))
            {
                spans[i] = spans[i] with { Kind = "move", Region = to };
            }
        }
        return spans;
    }

    private static string Wire<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
