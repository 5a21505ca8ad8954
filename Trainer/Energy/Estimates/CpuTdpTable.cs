namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// Thermal design power of a few CPUs common on training machines, from the vendors' product pages, matched
/// by a substring of the /proc/cpuinfo model name. Anything else uses the configured value or
/// <see cref="DefaultWatts"/>. A configured Energy:CpuTdpWatts always wins.
/// </summary>
public static class CpuTdpTable
{
    /// <summary>CodeCarbon's fallback TDP for an unknown CPU (85 W; it reports 42.5 W, half of it, for such CPUs).</summary>
    public const double DefaultWatts = 85;

    private static readonly (string ModelPart, double Watts)[] Known =
    [
        ("EPYC 9654", 360), // AMD, Genoa, 96 cores
        ("EPYC 9454", 290),
        ("EPYC 7763", 280), // AMD, Milan, 64 cores
        ("EPYC 7543", 225),
        ("Xeon(R) Platinum 8480", 350), // Intel, Sapphire Rapids (H100 servers)
        ("Xeon(R) Platinum 8468", 350),
        ("Xeon(R) Platinum 8380", 270), // Intel, Ice Lake (A100 servers)
        ("Xeon(R) Gold 6226R", 150),
    ];

    /// <summary>The TDP for a model name and where the number came from ("table", "configured", "default").</summary>
    public static (double Watts, string Source) Lookup(string? modelName, double? configuredWatts)
    {
        if (configuredWatts is { } configured)
        {
            return (configured, "configured");
        }
        foreach (var (part, watts) in Known)
        {
            if (modelName?.Contains(part, StringComparison.OrdinalIgnoreCase) == true)
            {
                return (watts, "table");
            }
        }
        return (DefaultWatts, "default");
    }
}
