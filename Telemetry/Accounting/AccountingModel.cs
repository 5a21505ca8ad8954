using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>What the accounting needs besides the windows: where the power came from and how much the building adds.</summary>
/// <param name="Region">Grid region of the run ("DE").</param>
/// <param name="Pue">Power usage effectiveness: facility energy / IT energy (1.0 on a local machine).</param>
/// <param name="AverageIntensity">gCO2eq/kWh used when no series covers a window.</param>
/// <param name="AverageIntensitySource">Where that average comes from, for the report.</param>
public sealed record AccountingSettings(string Region, double Pue, double AverageIntensity, string AverageIntensitySource);

/// <summary>Whether a window's intensity came from a time series or from one average.</summary>
public enum IntensityBasis
{
    Series,
    Average,
}

/// <summary>One window priced: IT energy, intensity over its span, and its emissions (zero when not billed).</summary>
public sealed record BilledWindow(
    EnergyWindow Window,
    bool Billed,
    double EnergyKwh,
    double IntensityGramsPerKwh,
    IntensityBasis Basis,
    double EmissionsGrams);

/// <summary>A subtotal: billed IT energy (kWh) and emissions (g) for one phase, device, kind or method.</summary>
public sealed record Subtotal(string Key, double EnergyKwh, double EmissionsGrams);

/// <summary>The sums of one run's windows. Energies are IT energy; emissions include the PUE.</summary>
public sealed record AccountingResult(
    AccountingSettings Settings,
    string? SeriesSource,
    IReadOnlyList<BilledWindow> Windows,
    double EnergyKwh,
    double EmissionsGrams,
    double UnbilledPausedKwh,
    double ActiveSeconds,
    double GpuHours,
    IReadOnlyList<Subtotal> ByPhase,
    IReadOnlyList<Subtotal> ByDevice,
    IReadOnlyList<Subtotal> ByKind,
    IReadOnlyList<Subtotal> ByMethod)
{
    /// <summary>Energy drawn from the grid, IT energy times PUE (kWh).</summary>
    public double FacilityEnergyKwh => EnergyKwh * Settings.Pue;

    /// <summary>Billed windows priced by the average because no series covered them.</summary>
    public int WindowsOnAverage => Windows.Count(w => w.Billed && w.Basis == IntensityBasis.Average);

    /// <summary>Energy-weighted mean intensity of the billed windows (gCO2eq/kWh).</summary>
    public double MeanIntensity => EnergyKwh > 0 && Settings.Pue > 0 ? EmissionsGrams / (EnergyKwh * Settings.Pue) : 0;

    public DateTimeOffset? Start => Windows.Count > 0 ? Windows.Min(w => w.Window.Start) : null;

    public DateTimeOffset? End => Windows.Count > 0 ? Windows.Max(w => w.Window.End) : null;
}
