using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// Everything known about one run's footprint, written as report.json. Energies in kWh (IT energy unless
/// named facility), emissions in grams of CO2eq, times in seconds, intensities in gCO2eq/kWh. Dedup is the
/// run's dedup.json when it had a dedup stage (its energy is also in ByPhase as "dedup").
/// </summary>
public sealed record EmissionsReport(
    string ExperimentId,
    string RunId,
    string ProjectName,
    string Region,
    string? CountryName,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    double WallSeconds,
    double ActiveSeconds,
    double EnergyKwh,
    double FacilityEnergyKwh,
    double EmissionsGrams,
    double Pue,
    string PueSource,
    IntensityUsed Intensity,
    IReadOnlyList<Subtotal> ByPhase,
    IReadOnlyList<Subtotal> ByDevice,
    IReadOnlyList<Subtotal> ByKind,
    IReadOnlyList<Subtotal> ByMethod,
    IReadOnlyDictionary<string, string> MethodsByKind,
    double UnbilledPausedKwh,
    double GpuHours,
    SciScore Sci,
    CostFigure? Cost,
    RunAtOnce? RunAtOnce,
    RunPrediction? Prediction,
    HardwareUsed Hardware,
    IReadOnlyList<string> Notes,
    string GeneratedBy,
    DedupSummary? Dedup = null);

/// <summary>
/// The intensity the emissions rest on. Basis is "series" when every billed window had a value from
/// the series, "average" when none had (one average intensity, as the measurement rules allow only then),
/// "mixed" otherwise. Windows lists the value each billed window was charged.
/// </summary>
public sealed record IntensityUsed(
    string Basis,
    string? SeriesSource,
    double MeanGramsPerKwh,
    int WindowsOnAverage,
    double? AverageGramsPerKwh,
    string? AverageSource,
    IReadOnlyList<IntensityCharged> Windows);

public sealed record IntensityCharged(DateTimeOffset Start, DateTimeOffset End, string Phase, double GramsPerKwh, string Basis);

/// <summary>
/// Software Carbon Intensity (Green Software Foundation, ISO/IEC 21031:2024): SCI = (E x I + M) per R, with R
/// one training run, E x I the operational emissions above (PUE included) and M the embodied share of every device
/// (GPU, CPU, memory) for the time the run reserved them (Embodied/EmbodiedEstimate; the notes say what it assumed).
/// </summary>
public sealed record SciScore(double OperationalGrams, double EmbodiedGrams, double GramsPerRun, string FunctionalUnit,
    Embodied.EmbodiedEstimate? Embodied = null);

/// <summary>Cost of the facility energy at a configured price.</summary>
public sealed record CostFigure(double PricePerKwh, string Currency, double Amount);

/// <summary>The same billed work run back to back from the first window, for comparison with what happened.</summary>
public sealed record RunAtOnce(double EmissionsGrams, double SavedGrams, double SavedPercent);

public sealed record HardwareUsed(string? CpuModel, int? CpuCount, double? RamTotalGb, IReadOnlyList<string> Gpus, string? OperatingSystem, string? Machine);
