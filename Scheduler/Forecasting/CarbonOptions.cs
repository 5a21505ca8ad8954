using System.ComponentModel.DataAnnotations;
using GreenTrain.Scheduler.Providers;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>
/// Where intensity comes from and how it is kept (section "Carbon"). The default, trace replay, needs no
/// key and no network; a provider that needs credentials refuses to start without them.
/// </summary>
public sealed class CarbonOptions : IValidatableObject
{
    public const string SectionName = "Carbon";

    /// <summary>trace (replay, default), uk, electricitymaps, watttime or carbonaware.</summary>
    [RegularExpression("^(trace|uk|electricitymaps|watttime|carbonaware)$", ErrorMessage = "Carbon:Provider must be trace, uk, electricitymaps, watttime or carbonaware.")]
    public string Provider { get; set; } = "trace";

    /// <summary>
    /// The regions planned for; each must be one the provider knows. Empty means the embedded traces' regions.
    /// (Empty by default rather than pre-filled: the configuration binder overwrites list items by index, so a
    /// pre-filled list would keep defaults beside the configured ones.)
    /// </summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>The configured regions without repeats, or DE, FR and GB.</summary>
    public IReadOnlyList<string> PlannedRegions => Regions.Count > 0
        ? Regions.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
        : ["DE", "FR", "GB"];

    /// <summary>How often forecasts are refreshed, in seconds (providers update half-hourly to hourly).</summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 900;

    /// <summary>How long a cached forecast stays in the store, in hours.</summary>
    [Range(1, 24 * 14)]
    public double CacheHours { get; set; } = 48;

    /// <summary>How far the planner looks ahead, in hours.</summary>
    [Range(1, 24 * 14)]
    public double HorizonHours { get; set; } = 48;

    /// <summary>How long one provider call may take, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public Uri UkBaseUrl { get; set; } = new("https://api.carbonintensity.org.uk/");

    public Uri ElectricityMapsBaseUrl { get; set; } = new("https://api.electricitymap.org/v3/");

    /// <summary>Sent as the auth-token header; required for electricitymaps. Keep it in user secrets or the environment.</summary>
    public string? ElectricityMapsToken { get; set; }

    public Uri WattTimeBaseUrl { get; set; } = new("https://api.watttime.org/");

    public string? WattTimeUsername { get; set; }

    public string? WattTimePassword { get; set; }

    public Uri CarbonAwareBaseUrl { get; set; } = new("http://localhost:8080/");

    /// <summary>
    /// What a Carbon Aware SDK server's values are: marginal (its docs' word, true of a WattTime data source) or average
    /// (an Electricity Maps data source). A GreenTrain Scheduler says so itself in X-GreenTrain-Signal, which wins.
    /// </summary>
    [RegularExpression("^(marginal|average)$", ErrorMessage = "Carbon:CarbonAwareSignal must be marginal or average.")]
    public string CarbonAwareSignal { get; set; } = "marginal";

    public TraceReplayOptions Replay { get; set; } = new();

    /// <summary>
    /// A span of grid time as wall-clock time: under trace replay the grid runs SpeedUp times faster, so a
    /// 15-minute planning cell or a 48-hour horizon shrinks by that factor; with a live provider it is unchanged.
    /// </summary>
    public TimeSpan WallTime(TimeSpan gridTime) => Provider == "trace" ? gridTime / Replay.SpeedUp : gridTime;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == "electricitymaps" && string.IsNullOrWhiteSpace(ElectricityMapsToken))
        {
            yield return new ValidationResult("Carbon:ElectricityMapsToken is required when Carbon:Provider is electricitymaps.", [nameof(ElectricityMapsToken)]);
        }
        if (Provider == "watttime" && (string.IsNullOrWhiteSpace(WattTimeUsername) || string.IsNullOrWhiteSpace(WattTimePassword)))
        {
            yield return new ValidationResult("Carbon:WattTimeUsername and Carbon:WattTimePassword are required when Carbon:Provider is watttime.",
                [nameof(WattTimeUsername), nameof(WattTimePassword)]);
        }
        if (Replay.SpeedUp is < 1 or > 100_000)
        {
            yield return new ValidationResult("Carbon:Replay:SpeedUp must be between 1 and 100000.", ["Replay.SpeedUp"]);
        }
    }
}
