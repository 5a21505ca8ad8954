using System.Text.Json;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// A forecast of a run's totals from its first part (Telemetry makes it from the measured energy windows, as
/// carbontracker does after its first epoch). Telemetry publishes it at greentrain:energy:{id}:prediction while the
/// run goes on, and the Scheduler plans the rest of the run with <see cref="RemainingEnergyKwh"/> and
/// <see cref="RemainingSeconds"/> (active wall seconds) instead of the submitter's estimate.
/// </summary>
public sealed record RunPrediction(
    long StepsDone,
    long TotalSteps,
    double EnergyKwh,
    double DurationSeconds,
    double EmissionsGrams,
    double RemainingEnergyKwh,
    double RemainingSeconds,
    string Basis)
{
    public static string Serialize(RunPrediction prediction) => JsonSerializer.Serialize(prediction, JsonSerializerOptions.Web);

    /// <summary>The stored prediction, or null when there is none or it cannot be read (then the Scheduler keeps its own estimate).</summary>
    public static RunPrediction? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RunPrediction>(json, JsonSerializerOptions.Web) is { TotalSteps: > 0, RemainingEnergyKwh: >= 0, RemainingSeconds: >= 0 } p ? p : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
