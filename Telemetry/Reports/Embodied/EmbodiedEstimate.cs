using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;

namespace GreenTrain.Telemetry.Reports.Embodied;

/// <summary>One device class's part of SCI's M: the device(s), their whole embodied emissions, and this run's share in grams.</summary>
/// <param name="TotalKilograms">The devices' whole embodied emissions; null when a configured figure per GPU-hour stands in for it.</param>
public sealed record EmbodiedShare(string Kind, string Devices, double? TotalKilograms, double Grams, string Basis);

/// <summary>SCI's M for one run, with what it assumed: M = sum over devices of TE x (reserved time / lifetime).</summary>
public sealed record EmbodiedEstimate(double Grams, double ReservedHours, double LifetimeYears, bool PausedTimeCounted, IReadOnlyList<EmbodiedShare> Shares)
{
    /// <summary>
    /// The devices are the run's own windows (every GPU, each CPU package, memory), named from its run info. Reserved time
    /// is first window start to last window end when the devices stay reserved while paused (the default: a region's
    /// Trainer keeps its machine), else only the time spent running. A configured figure per GPU-hour replaces the GPU default.
    /// </summary>
    public static EmbodiedEstimate For(IReadOnlyList<EnergyWindow> windows, EnergyRunInfo? run, ReportSettings settings)
    {
        var running = windows.Where(w => w.Phase != EnergyPhase.Paused).Sum(EmissionsAccountant.Seconds) / 3600;
        var span = (windows.Max(w => w.End) - windows.Min(w => w.Start)).TotalHours;
        var reserved = settings.ReservedWhilePaused ? Math.Max(span, running) : running;
        var share = reserved / (settings.EmbodiedLifetimeYears * 365.25 * 24);
        var devices = windows.SelectMany(w => w.Devices).Select(d => (d.Device, d.Kind)).Distinct().ToList();
        var shares = new List<EmbodiedShare>();
        var gpus = devices.Where(d => d.Kind == DeviceKind.Gpu).Select(d => d.Device).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < gpus.Count; i++)
        {
            var model = run?.Gpus is { } names && i < names.Count ? names[i] : null;
            var name = $"{gpus[i]} ({model ?? "model unknown"})";
            if (settings.EmbodiedGramsPerGpuHour > 0)
            {
                shares.Add(new EmbodiedShare("gpu", name, null, settings.EmbodiedGramsPerGpuHour * reserved,
                    $"configured {settings.EmbodiedGramsPerGpuHour:G4} g per GPU-hour"));
                continue;
            }
            var gpu = EmbodiedFactors.Gpu(model);
            shares.Add(new EmbodiedShare("gpu", name, gpu.Kilograms, gpu.Kilograms * 1000 * share, gpu.Basis));
        }
        // A run always has a host CPU and memory, measured or not: CPU-only runs carry them too.
        var packages = Math.Max(1, devices.Count(d => d.Kind == DeviceKind.Cpu));
        var cpuKg = EmbodiedFactors.CpuPackage.Kilograms * packages;
        shares.Add(new EmbodiedShare("cpu", $"{packages} x {run?.CpuModel ?? "CPU"}", cpuKg, cpuKg * 1000 * share, EmbodiedFactors.CpuPackage.Basis));
        var gb = run?.RamTotalGb ?? EmbodiedFactors.DefaultMemoryGb;
        var memoryKg = EmbodiedFactors.MemoryPerGb.Kilograms * gb;
        shares.Add(new EmbodiedShare("memory", $"{gb:G4} GB{(run?.RamTotalGb is null ? " (size unknown: Boavizta's default strip)" : "")}",
            memoryKg, memoryKg * 1000 * share, EmbodiedFactors.MemoryPerGb.Basis));
        return new EmbodiedEstimate(shares.Sum(s => s.Grams), reserved, settings.EmbodiedLifetimeYears, settings.ReservedWhilePaused, shares);
    }

    /// <summary>The report's note: what M assumed, in one sentence a reader can check.</summary>
    public string Note() =>
        $"SCI's M ({Grams:G4} g) assumes {string.Join(", ", Shares.Select(s => $"{s.Kind} {s.Devices}: {(s.TotalKilograms is { } kg ? $"{kg:G4} kg, " : "")}{s.Basis}"))}; "
        + $"{ReservedHours:G4} h reserved of a {LifetimeYears:G3}-year lifetime"
        + (PausedTimeCounted ? " (paused time counted: the devices stay reserved; set Accounting:DevicesReservedWhilePaused to false where they are released)" : " (running time only)")
        + "; chassis, storage and network are not included.";
}
