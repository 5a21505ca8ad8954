using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Data;
using GreenTrain.ServiceDefaults.Sizing;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// The checks of a spec only the Scheduler can make: against its data roots (a path a client names, a data set's or a
/// distillation teacher's, is read by a worker as the service's user), its clock (a deadline already past can never be met, one
/// years ahead is past anything it plans) and its configured regions (a job allowed only in a region nobody plans for
/// would wait forever).
/// </summary>
public static class SubmissionRules
{
    /// <summary>How far ahead a deadline may be: a year, the furthest the planning grid reaches.</summary>
    public static readonly TimeSpan MaxDeadlineAhead = TimeSpan.FromDays(365);

    public static IEnumerable<SpecError> Check(ExperimentSpec spec, DateTimeOffset now, IReadOnlyList<string> regions, IReadOnlyList<string> dataRoots,
        double modelMemoryBytes)
    {
        if (spec.Model is not null && spec.Training?.Optimizer is not null && spec.Dataset is not null
            && ModelMemoryLimit.Refusal(spec, modelMemoryBytes, "setting Scheduler:MaxModelMemoryGiB, else this machine's memory") is { } tooLarge)
        {
            yield return new SpecError("$.model", tooLarge);
        }
        if (spec.Dataset is { } dataset && DataPathGuard.PathOf(dataset) is { } path && DataPathGuard.Refusal(path, dataRoots) is { } refusal)
        {
            yield return new SpecError("$.dataset.path", refusal);
        }
        foreach (var (field, teacher) in DataPathGuard.TeacherPathsOf(spec))
        {
            if (DataPathGuard.Refusal(teacher, dataRoots) is { } outside) yield return new SpecError(field, outside);
        }
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
