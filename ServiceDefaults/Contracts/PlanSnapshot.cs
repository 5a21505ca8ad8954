using System.Text.Json;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// One plan of an experiment as the Scheduler made it, kept in the experiment's plan history
/// (StoreKeys.ExperimentPlans) so a reader can show the first plan and each replan. The Scheduler writes it
/// when a plan's intervals change; Telemetry's web UI reads it.
/// </summary>
/// <param name="PlannedAt">When the Scheduler made the plan.</param>
/// <param name="Intervals">Where and when the experiment is planned to run.</param>
/// <param name="ExpectedGrams">Emissions the plan expects, pauses and moves included (g CO2eq).</param>
/// <param name="RunNowGrams">What running the rest at once would emit (g CO2eq).</param>
/// <param name="Reason">Why the plan is not the carbon-optimal one, when it is not.</param>
public sealed record PlanSnapshot(
    DateTimeOffset PlannedAt,
    IReadOnlyList<PlanSnapshotInterval> Intervals,
    double ExpectedGrams,
    double RunNowGrams,
    bool MeetsDeadline,
    int Pauses,
    int Migrations,
    string? Reason = null)
{
    /// <summary>At most this many plans are kept per experiment (the oldest are trimmed; the first plan is also in the experiment record).</summary>
    public const int Kept = 200;

    public static string Serialize(PlanSnapshot plan) => JsonSerializer.Serialize(plan, JsonSerializerOptions.Web);

    /// <summary>The stored snapshot, or null when it cannot be read (a reader skips it rather than failing).</summary>
    public static PlanSnapshot? TryParse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<PlanSnapshot>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One planned run: in a region, from start to end (UTC).</summary>
public sealed record PlanSnapshotInterval(string Region, DateTimeOffset Start, DateTimeOffset End);
