using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// emissions.csv in CodeCarbon's layout, so dashboards built for CodeCarbon read it: the 38 columns that
/// CodeCarbon 3.3.0 writes, in its order and units (duration s, emissions kg, emissions_rate kg/s, powers W,
/// energies kWh, water L, ram GB). One row per run, the run's totals, as CodeCarbon's last row holds.
/// As in CodeCarbon (EmissionsTracker multiplies each measured energy by its PUE before adding it up), cpu_energy,
/// gpu_energy, ram_energy and energy_consumed include the PUE and the powers do not, so emissions / energy_consumed
/// is the grid intensity. country_iso_code, region (state or province) and the cloud columns come from
/// <see cref="RegionNames.Locate"/>; ram_used_gb and ram_utilization_percent from the memory readings.
/// </summary>
public static class CodeCarbonCsv
{
    /// <summary>The header CodeCarbon 3.3.0 writes (EmissionsData fields; checked against a file it wrote).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
        "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
        "water_consumed", "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region",
        "os", "python_version", "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model",
        "longitude", "latitude", "ram_total_size", "tracking_mode", "cpu_utilization_percent",
        "gpu_utilization_percent", "ram_utilization_percent", "ram_used_gb", "on_cloud", "pue", "wue",
    ];

    public static string Write(EmissionsReport report, IReadOnlyList<EnergyWindow> windows, ReportSettings settings)
    {
        double ItKwh(DeviceKind kind) => report.ByKind.FirstOrDefault(k => k.Key == EmissionsAccountant.Label(kind))?.EnergyKwh ?? 0;
        double Kwh(DeviceKind kind) => ItKwh(kind) * report.Pue;
        double Watts(DeviceKind kind) => report.ActiveSeconds > 0 ? ItKwh(kind) * EmissionsAccountant.JoulesPerKwh / report.ActiveSeconds : 0;
        var location = RegionNames.Locate(report.Region, settings.CloudProvider, settings.CloudRegion);
        var ramUsedGb = MeanRamUsedGb(windows);
        var ramPercent = ramUsedGb is { } used && report.Hardware.RamTotalGb is > 0 ? 100 * used / report.Hardware.RamTotalGb.Value : 0.0;
        var gpus = report.Hardware.Gpus;
        var emissionsKg = report.EmissionsGrams / 1000;
        object?[] values =
        [
            (report.End ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            report.ProjectName, report.RunId, report.ExperimentId, report.ActiveSeconds, emissionsKg,
            report.ActiveSeconds > 0 ? emissionsKg / report.ActiveSeconds : 0,
            Watts(DeviceKind.Cpu), Watts(DeviceKind.Gpu), Watts(DeviceKind.Memory),
            Kwh(DeviceKind.Cpu), Kwh(DeviceKind.Gpu), Kwh(DeviceKind.Memory), report.EnergyKwh * report.Pue,
            0.0, location.CountryName, location.CountryIso3, location.Region, location.CloudProvider, location.CloudRegion,
            report.Hardware.OperatingSystem ?? "", "", "", report.Hardware.CpuCount, report.Hardware.CpuModel ?? "",
            gpus.Count, gpus.Count == 0 ? "" : string.Join(" ", gpus.GroupBy(g => g).Select(g => $"{g.Count()} x {g.Key}")),
            "", "", report.Hardware.RamTotalGb, "machine",
            MeanUtilization(windows, DeviceKind.Cpu), MeanUtilization(windows, DeviceKind.Gpu), ramPercent, ramUsedGb ?? 0.0,
            location.OnCloud ? "Y" : "N", report.Pue, 0.0,
        ];
        return string.Join(",", Columns) + "\n" + string.Join(",", values.Select(Format)) + "\n";
    }

    /// <summary>Time-weighted utilisation of one kind of device over the billed windows, 0-100.</summary>
    private static double MeanUtilization(IReadOnlyList<EnergyWindow> windows, DeviceKind kind)
    {
        var samples = windows.Where(w => w.Phase != EnergyPhase.Paused)
            .SelectMany(w => w.Devices.Where(d => d.Kind == kind && d.UtilizationPercent is not null)
                .Select(d => (Seconds: EmissionsAccountant.Seconds(w), Value: d.UtilizationPercent!.Value)))
            .ToList();
        var seconds = samples.Sum(s => s.Seconds);
        return seconds > 0 ? samples.Sum(s => s.Seconds * s.Value) / seconds : 0;
    }

    /// <summary>Time-weighted system memory in use over the billed windows, GB (bytes / 2^30 as CodeCarbon counts); null when unreported.</summary>
    private static double? MeanRamUsedGb(IReadOnlyList<EnergyWindow> windows)
    {
        var samples = windows.Where(w => w.Phase != EnergyPhase.Paused)
            .SelectMany(w => w.Devices.Where(d => d.Kind == DeviceKind.Memory && d.MemoryUsedBytes is not null)
                .Select(d => (Seconds: EmissionsAccountant.Seconds(w), Gb: d.MemoryUsedBytes!.Value / 1073741824.0)))
            .ToList();
        var seconds = samples.Sum(s => s.Seconds);
        return seconds > 0 ? samples.Sum(s => s.Seconds * s.Gb) / seconds : null;
    }

    /// <summary>Floats as Python's repr writes them, as CodeCarbon's pandas output has them: "1.0", "5.07e-05".</summary>
    private static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.IndexOfAny(['.', 'e', 'N', 'I']) >= 0 ? text : text + ".0";
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => PythonFloat(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
