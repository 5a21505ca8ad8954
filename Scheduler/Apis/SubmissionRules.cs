using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// The checks of a spec only the Scheduler can make: against its clock (a deadline already past can never be met, one
/// years ahead is past anything it plans) and its configured regions (a job allowed only in a region nobody plans for
/// would wait forever).
/// </summary>
public static class SubmissionRules
{
    /// <summary>How far ahead a deadline may be: a year, the furthest the planning grid reaches.</summary>
    public static readonly TimeSpan MaxDeadlineAhead = TimeSpan.FromDays(365);

    public static IEnumerable<SpecError> Check(ExperimentSpec spec, DateTimeOffset now, IReadOnlyList<string> regions)
    {
        if (spec.Carbon?.Deadline is { } deadline)
        {
            if (deadline <= now)
            {
                yield return new SpecError("$.carbon.deadline", $"must be in the future (it is {deadline:O}, now is {now:O})");
            }
            else if (deadline > now + MaxDeadlineAhead)
            {
                yield return new SpecError("$.carbon.deadline", $"must be at most {MaxDeadlineAhead.TotalDays:0} days ahead");
            }
        }
        var allowed = spec.Carbon?.AllowedRegions ?? [];
        for (var i = 0; i < allowed.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(allowed[i]) && !regions.Contains(allowed[i], StringComparer.OrdinalIgnoreCase))
            {
                yield return new SpecError($"$.carbon.allowedRegions[{i}]", $"is not a region this Scheduler plans for ({string.Join(", ", regions)}; setting Carbon:Regions)");
            }
        }
    }
}
