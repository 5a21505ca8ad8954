using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Planning;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Apis;

/// <summary>What the API shows of an experiment: state, progress, plan, and expected emissions against running at once.</summary>
public sealed record ExperimentView(
    string Id,
    string Name,
    ExperimentState State,
    bool HeldByUser,
    string? Region,
    double Progress,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? Deadline,
    IReadOnlyList<PlannedInterval> Plan,
    double? ExpectedGrams,
    double? RunNowGrams,
    double? SavedGrams,
    bool? MeetsDeadline,
    string? PlanNote,
    DateTimeOffset? PlannedAt,
    double? FirstRunNowGrams,
    double? FirstExpectedGrams,
    string? WorkerState,
    double? BestMetric,
    string? Message,
    SegmentLimit? Segment = null)
{
    public static ExperimentView From(ExperimentRecord r) => new(
        r.Id, r.Spec.Name, r.State, r.HeldByUser, r.Region, r.Progress, r.SubmittedAt, r.Deadline,
        r.Plan?.Intervals ?? [], Round(r.Plan?.ExpectedGrams), Round(r.Plan?.RunNowGrams),
        r.Plan is { } p ? Math.Round(p.RunNowGrams - p.ExpectedGrams, 2) : null, r.Plan?.MeetsDeadline, r.Plan?.Reason, r.PlannedAt,
        Round(r.FirstPlan?.RunNowGrams), Round(r.FirstPlan?.ExpectedGrams), r.ReportedState?.ToString().ToLowerInvariant(), r.BestMetric, r.Message, r.Segment);

    private static double? Round(double? grams) => grams is { } g ? Math.Round(g, 2) : null;
}

/// <summary>One region's forecast as GET /carbon/{region}/forecast shows it.</summary>
public sealed record ForecastView(string Region, string Origin, DateTimeOffset FetchedAt, string? Problem, IReadOnlyList<ForecastPoint> Intervals);

public sealed record ForecastPoint(DateTimeOffset Start, DateTimeOffset End, double GramsPerKWh, string Signal, string Source);
