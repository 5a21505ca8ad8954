namespace GreenTrain.Scheduler.Planning;

/// <summary>One run of a job: in a region, from start to end.</summary>
public sealed record PlannedInterval(string Region, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The planner's answer for one job: when and where it runs, what that is expected to emit (including the
/// energy of its pauses and moves), what running at once would emit, and, when the plan is not the
/// carbon-optimal one, why.
/// </summary>
public sealed record JobPlan(
    string JobId,
    IReadOnlyList<PlannedInterval> Intervals,
    double ExpectedGrams,
    double RunNowGrams,
    bool MeetsDeadline,
    PlanningPolicy Policy,
    int Pauses,
    int Migrations,
    string? Reason = null,
    string? Error = null)
{
    /// <summary>A plan for a job the planner could not plan (its figures break the arithmetic): no intervals, and why.</summary>
    public static JobPlan Unplannable(string jobId, PlanningPolicy policy, string why) =>
        new(jobId, [], 0, 0, false, policy, 0, 0, $"cannot be planned: {why}", why);

    public DateTimeOffset? Start => Intervals.Count > 0 ? Intervals[0].Start : null;

    public DateTimeOffset? End => Intervals.Count > 0 ? Intervals[^1].End : null;
}
