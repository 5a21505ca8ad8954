using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>The best trial so far: among the trials whose segments went furthest, the best metric.</summary>
public sealed record SweepBest(string TrialId, IReadOnlyDictionary<string, JsonNode?> Values, int Resource, double Metric, double? TestAccuracy, string ExperimentId);

/// <summary>
/// What GET /sweeps/{id} shows: state, every trial with its experiments, metric and energy, the best so far, the report
/// when done. <c>experiments</c> counts the runs submitted (one per trial, a promotion resumes it), <c>segments</c> the rungs trained.
/// </summary>
public sealed record SweepView(string Id, string Name, SweepState State, DateTimeOffset SubmittedAt, DateTimeOffset Deadline, bool CancelRequested,
    string? StopReason, string? Message, string Metric, string Goal, int Experiments, int Segments, double Kwh, SweepBest? Best,
    IReadOnlyList<SweepTrialEntry> Trials, JsonNode? Report)
{
    public static SweepView From(SweepRecord r) => new(r.Id, r.Name, r.State, r.SubmittedAt, r.Deadline, r.CancelRequested, r.StopReason, r.Message,
        r.Metric.Name, r.Metric.Goal.ToString().ToLowerInvariant(),
        r.Trials.SelectMany(t => t.Segments).Select(s => s.ExperimentId).Distinct().Count(), r.Trials.Sum(t => t.Segments.Count),
        r.Trials.SelectMany(t => t.Segments).Sum(s => s.Joules ?? 0) / 3.6e6, BestOf(r), r.Trials, r.Report);

    public static SweepBest? BestOf(SweepRecord r)
    {
        var scored = r.Trials.SelectMany(t => t.Segments.Where(s => s.Metric is not null).Select(s => (Trial: t, Segment: s))).ToList();
        if (scored.Count == 0) return null;
        var furthest = scored.Max(x => x.Segment.Resource);
        var (trial, segment) = scored.Where(x => x.Segment.Resource == furthest).MaxBy(x => r.Metric.Score(x.Segment.Metric!.Value));
        return new SweepBest(trial.TrialId, trial.Values, segment.Resource, segment.Metric!.Value, segment.TestAccuracy, segment.ExperimentId);
    }
}
