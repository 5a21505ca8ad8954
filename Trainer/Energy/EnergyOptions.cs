using System.ComponentModel.DataAnnotations;
using GreenTrain.Trainer.Energy.Estimates;

namespace GreenTrain.Trainer.Energy;

/// <summary>How the Trainer measures its devices (section "Energy"). The defaults find what the machine has.</summary>
public sealed class EnergyOptions
{
    public const string SectionName = "Energy";

    /// <summary>Read GPUs through NVML when the driver is there (true); false skips GPUs altogether.</summary>
    public bool UseNvml { get; set; } = true;

    /// <summary>Power sampling period for GPUs without an energy counter, in ms (100 ms = 10 Hz, the slowest allowed).</summary>
    [Range(1, 100)]
    public int PowerSamplePeriodMs { get; set; } = 100;

    /// <summary>
    /// How often, in ms, GPU utilisation and memory and the CPU's /proc/stat are sampled in the background; a window
    /// boundary reads only energy counters, so these reads stay off the training thread.
    /// </summary>
    [Range(10, 10_000)]
    public int StatusSamplePeriodMs { get; set; } = 500;

    /// <summary>Where the powercap zones are (RAPL); a missing folder means no RAPL and a CPU estimate.</summary>
    [Required]
    public string PowercapRoot { get; set; } = "/sys/class/powercap";

    /// <summary>The proc file system, for /proc/stat (utilisation), cpuinfo and meminfo.</summary>
    [Required]
    public string ProcRoot { get; set; } = "/proc";

    /// <summary>CPU TDP in W for the estimate; unset looks the model up in <see cref="CpuTdpTable"/> (85 W if unknown).</summary>
    [Range(1, 2000)]
    public double? CpuTdpWatts { get; set; }

    /// <summary>RAM power in W per GB for the estimate; 0.375 is CodeCarbon's 3 W per 8 GB.</summary>
    [Range(0, 10)]
    public double RamWattsPerGb { get; set; } = MemoryEstimateSource.CodeCarbonWattsPerGb;
}
