namespace GreenTrain.Telemetry.Reports;

/// <summary>The figures a report needs beyond the windows, taken from options or the command line.</summary>
/// <param name="PueSource">Why this PUE: "local default", "configured", "aws 2023 global average".</param>
/// <param name="PricePerKwh">Energy price for the cost figure; null leaves the cost out.</param>
/// <param name="EmbodiedGramsPerGpuHour">SCI's M per reserved GPU-hour, replacing the GPU default (Embodied/EmbodiedFactors); 0 uses the default.</param>
/// <param name="EmbodiedLifetimeYears">SCI's EL, the devices' expected lifespan.</param>
/// <param name="ReservedWhilePaused">Whether paused time counts as reserved (the devices stay with the job).</param>
/// <param name="CloudProvider">For CodeCarbon's cloud_provider column ("" when on premises).</param>
/// <param name="CloudRegion">For CodeCarbon's cloud_region column.</param>
public sealed record ReportSettings(
    string PueSource,
    double? PricePerKwh = null,
    string Currency = "EUR",
    double EmbodiedGramsPerGpuHour = 0,
    string CloudProvider = "",
    string CloudRegion = "",
    double PredictAfterShare = 0.1,
    string? TrainingType = null,
    double EmbodiedLifetimeYears = Embodied.EmbodiedFactors.LifetimeYears,
    bool ReservedWhilePaused = true);
