using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>How the Telemetry service prices energy (section "Accounting"). The defaults suit a local machine.</summary>
public sealed class AccountingOptions
{
    public const string SectionName = "Accounting";

    /// <summary>Power usage effectiveness; unset means the cloud's average (<see cref="CloudProvider"/>) or 1.0 locally.</summary>
    [Range(1.0, 3.0)]
    public double? Pue { get; set; }

    /// <summary>aws, gcp or azure when the Trainers run there; empty on premises.</summary>
    public string? CloudProvider { get; set; }

    /// <summary>The provider's region name, for the CSV's cloud_region column.</summary>
    public string? CloudRegion { get; set; }

    /// <summary>Grid region of runs that do not name one in their run info.</summary>
    public string? DefaultRegion { get; set; }

    /// <summary>Intensity trace per region: region code to CSV path (Time,Carbon Intensity in gCO2eq/kWh).</summary>
    public Dictionary<string, string> Traces { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time zone of trace stamps without an offset (IANA id); UTC, as the shipped traces are (docs/carbon.md).</summary>
    [Required]
    public string TraceTimeZone { get; set; } = "UTC";

    /// <summary>The one average (gCO2eq/kWh) when no series covers a run; unset is the world average 2019 (475).</summary>
    [Range(0, 5000)]
    public double? AverageIntensity { get; set; }

    /// <summary>Energy price per kWh for the cost figure; unset leaves cost out.</summary>
    [Range(0, 1000)]
    public double? PricePerKwh { get; set; }

    [Required]
    public string Currency { get; set; } = "EUR";

    /// <summary>SCI's embodied emissions per reserved GPU-hour (g), replacing the per-model default; 0 uses the default (docs/telemetry.md).</summary>
    [Range(0, 1e6)]
    public double EmbodiedGramsPerGpuHour { get; set; }

    /// <summary>SCI's EL: the devices' expected lifespan in years, over which their embodied emissions are spread.</summary>
    [Range(0.5, 30)]
    public double EmbodiedLifetimeYears { get; set; } = Reports.Embodied.EmbodiedFactors.LifetimeYears;

    /// <summary>Whether a paused job's devices stay reserved to it (a region's Trainer keeps its machine), so paused time carries M.</summary>
    public bool DevicesReservedWhilePaused { get; set; } = true;

    /// <summary>Share of the steps after which a run's totals are predicted when its epoch length is unknown.</summary>
    [Range(0.01, 1.0)]
    public double PredictAfterShare { get; set; } = 0.1;

    /// <summary>How often the metrics exporter looks for new windows when no notification wakes it (s).</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;
}
