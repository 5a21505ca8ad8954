using System.Globalization;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>The CPU model and memory size of this machine, from /proc (a fake /proc folder in tests).</summary>
public sealed record HostInfo(string? CpuModel, int CpuCount, double RamTotalGb)
{
    public static HostInfo Read(string procRoot)
    {
        string? model = null;
        var cpuInfo = Path.Combine(procRoot, "cpuinfo");
        if (File.Exists(cpuInfo))
        {
            model = File.ReadLines(cpuInfo)
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault();
        }
        return new HostInfo(model, Environment.ProcessorCount, ReadMemTotalGb(Path.Combine(procRoot, "meminfo")));
    }

    /// <summary>MemTotal in GB as bytes / 2^30, as CodeCarbon counts ram_total_size; 0 when unknown.</summary>
    private static double ReadMemTotalGb(string meminfo)
    {
        if (!File.Exists(meminfo))
        {
            return 0;
        }
        var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return kib is not null && double.TryParse(kib, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value / (1024 * 1024)
            : 0;
    }
}
