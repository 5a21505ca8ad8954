using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;

namespace GreenTrain.Telemetry.Reports;

/// <summary>Turns a run's windows into its report: accounting, comparison, prediction, SCI and cost in one place.</summary>
public static class ReportBuilder
{
    /// <summary>This assembly's version, not the entry assembly's: the report names the code that priced it, whoever hosts it.</summary>
    private static readonly string TelemetryVersion =
        typeof(ReportBuilder).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static EmissionsReport Build(IReadOnlyList<EnergyWindow> windows, EnergyRunInfo? run, IntensitySeries? series,
        AccountingSettings accounting, ReportSettings settings)
    {
        if (windows.Count == 0)
        {
            throw new InvalidDataException("There are no energy windows to report on.");
        }
        var result = EmissionsAccountant.Account(windows, series, accounting);
        var first = windows[0];
        var notes = new List<string>();
        var intensity = DescribeIntensity(result, notes);
        var atOnce = RunAtOnceComparison.EmissionsGrams(result, series);
        var embodied = Embodied.EmbodiedEstimate.For(windows, run, settings);
        notes.Add(embodied.Note());
        if (result.UnbilledPausedKwh > 0)
        {
            notes.Add($"{result.UnbilledPausedKwh:G4} kWh measured while the job was paused is not billed to it.");
        }
        if (result.ByMethod.Any(m => m.Key == "estimate"))
        {
            notes.Add("Some energy is estimated (TDP x utilisation for CPUs, 0.375 W/GB for RAM) rather than measured; see ByMethod and ByDevice.");
        }
        var (country, _) = RegionNames.Lookup(accounting.Region);
        return new EmissionsReport(
            first.ExperimentId, first.RunId, run?.ProjectName ?? first.ExperimentId, accounting.Region, country,
            result.Start, result.End, (result.End!.Value - result.Start!.Value).TotalSeconds, result.ActiveSeconds,
            result.EnergyKwh, result.FacilityEnergyKwh, result.EmissionsGrams, accounting.Pue, settings.PueSource,
            intensity, result.ByPhase, result.ByDevice, result.ByKind, result.ByMethod, MethodsByKind(windows), result.UnbilledPausedKwh, result.GpuHours,
            new SciScore(result.EmissionsGrams, embodied.Grams, result.EmissionsGrams + embodied.Grams, "one training run", embodied),
            settings.PricePerKwh is { } price ? new CostFigure(price, settings.Currency, price * result.FacilityEnergyKwh) : null,
            atOnce is { } once ? new RunAtOnce(once, once - result.EmissionsGrams, once > 0 ? 100 * (once - result.EmissionsGrams) / once : 0) : null,
            EnergyPredictor.Predict(result, run, settings.PredictAfterShare),
            new HardwareUsed(run?.CpuModel, run?.CpuCount, run?.RamTotalGb, run?.Gpus ?? [], run?.OperatingSystem, run?.Machine),
            notes,
            $"GreenTrain {TelemetryVersion}");
    }

    /// <summary>"gpu" -> "counter", "cpu" -> "estimate": how each kind of device was measured, for the label.</summary>
    private static Dictionary<string, string> MethodsByKind(IReadOnlyList<EnergyWindow> windows) => windows
        .SelectMany(w => w.Devices)
        .GroupBy(d => EmissionsAccountant.Label(d.Kind))
        .ToDictionary(g => g.Key, g => string.Join("+", g.Select(d => EmissionsAccountant.Label(d.Method)).Distinct().Order()));

    private static IntensityUsed DescribeIntensity(AccountingResult result, List<string> notes)
    {
        var billed = result.Windows.Where(w => w.Billed).ToList();
        var onAverage = result.WindowsOnAverage;
        var basis = onAverage == 0 ? "series" : onAverage == billed.Count ? "average" : "mixed";
        double? average = null;
        string? averageSource = null;
        if (onAverage > 0)
        {
            average = billed.First(w => w.Basis == IntensityBasis.Average).IntensityGramsPerKwh;
            averageSource = result.SeriesSource is { } source
                ? $"mean of {source} (the windows fall outside its span)"
                : result.Settings.AverageIntensitySource;
            notes.Add(result.SeriesSource is null
                ? $"No intensity series exists for {result.Settings.Region}: one average intensity ({average:F1} gCO2eq/kWh, {averageSource}) is used for every window."
                : $"{onAverage} of {billed.Count} windows fall outside {result.SeriesSource}: they are charged its mean ({average:F1} gCO2eq/kWh).");
        }
        // Neighbouring windows charged the same value (same trace slot, same phase) are merged into one span.
        var charged = new List<IntensityCharged>();
        foreach (var w in billed)
        {
            var next = new IntensityCharged(w.Window.Start, w.Window.End, EmissionsAccountant.Label(w.Window.Phase),
                w.IntensityGramsPerKwh, w.Basis == IntensityBasis.Series ? "series" : "average");
            if (charged.Count > 0 && charged[^1] is var last && last.End == next.Start && last.Phase == next.Phase
                && last.Basis == next.Basis && Math.Abs(last.GramsPerKwh - next.GramsPerKwh) < 1e-9)
            {
                charged[^1] = last with { End = next.End };
            }
            else
            {
                charged.Add(next);
            }
        }
        return new IntensityUsed(basis, result.SeriesSource, result.MeanIntensity, onAverage, average, averageSource, charged);
    }
}
