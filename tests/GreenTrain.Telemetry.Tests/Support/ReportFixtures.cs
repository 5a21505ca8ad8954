using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Tests.Support;

/// <summary>A small run priced against the real German trace, for the report writers' tests.</summary>
public static class ReportFixtures
{
    public static readonly IntensitySeries Germany = TraceReader.ReadFile(TestWindows.TracePath, "DE");
    public static readonly DateTimeOffset Start = new(2020, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One hour of training (1 kWh GPU, 0.2 kWh CPU, 0.05 kWh RAM), a pause, then 10 minutes of evaluation.</summary>
    public static IReadOnlyList<EnergyWindow> Windows() =>
    [
        TestWindows.Make(Start, TimeSpan.FromHours(1), EnergyPhase.Train, 0, 1000, 3_600_000, 720_000, 180_000, 0),
        TestWindows.Make(Start.AddHours(1), TimeSpan.FromHours(2), EnergyPhase.Paused, 1000, 1000, 500_000, 0, 0, 1),
        TestWindows.Make(Start.AddHours(3), TimeSpan.FromMinutes(10), EnergyPhase.Evaluate, 1000, 1000, 360_000, 36_000, 9_000, 2),
    ];

    public static EnergyRunInfo Run => new("exp-1", "run-1", ProjectName: "digits-mlp", Region: "DE", TotalSteps: 1000, StepsPerEpoch: 100,
        OperatingSystem: "Linux", CpuModel: "AMD EPYC 7543 32-Core Processor", CpuCount: 64, RamTotalGb: 503.5, Gpus: ["NVIDIA H100 80GB HBM3"],
        TrainingType: "fine-tuning");

    public static AccountingSettings Accounting(double pue = 1.2) => new("DE", pue, AverageIntensity.WorldGramsPerKwh, AverageIntensity.WorldSource);

    public static ReportSettings Settings => new("configured", PricePerKwh: 0.30, EmbodiedGramsPerGpuHour: 25);

    public static EmissionsReport Report(IntensitySeries? series = null) =>
        ReportBuilder.Build(Windows(), Run, series ?? Germany, Accounting(), Settings);
}
