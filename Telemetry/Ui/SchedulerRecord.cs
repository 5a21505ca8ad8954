using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Ui;

/// <summary>
/// What the web UI reads of the Scheduler's experiment record (the greentrain:experiments hash, one JSON field per
/// experiment). The Scheduler owns the record; this is only the part a reader needs, so unknown fields are ignored
/// and a record the Scheduler extends later still reads.
/// </summary>
public sealed record SchedulerRecord(
    string Id,
    ExperimentSpec? Spec,
    DateTimeOffset SubmittedAt,
    string? State,
    string? Region,
    double Progress,
    SchedulerPlan? Plan,
    SchedulerPlan? FirstPlan,
    double? BestMetric,
    string? Message,
    DateTimeOffset? PlannedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The record in <paramref name="json"/>, or null when it cannot be read (the UI shows the rest).</summary>
    public static SchedulerRecord? TryParse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<SchedulerRecord>(json, ExperimentSpecJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The Scheduler's plan as its record holds it (JobPlan): intervals, expected and run-at-once grams.</summary>
public sealed record SchedulerPlan(
    IReadOnlyList<PlanSnapshotInterval> Intervals,
    double ExpectedGrams,
    double RunNowGrams,
    bool MeetsDeadline,
    int Pauses,
    int Migrations,
    string? Reason);
