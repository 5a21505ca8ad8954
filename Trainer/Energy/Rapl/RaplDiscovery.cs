using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Rapl;

/// <summary>
/// Finds the package and DRAM domains of the intel-rapl powercap zones (AMD CPUs expose the same zone name).
/// Core and uncore sub-domains are left out: the package already contains them.
/// </summary>
public static class RaplDiscovery
{
    public const string DefaultRoot = "/sys/class/powercap";

    /// <summary>The readable package and DRAM domains under <paramref name="root"/>; empty when there is no RAPL.</summary>
    public static IReadOnlyList<RaplDomain> Discover(string root, Action<string>? skipped = null)
    {
        var domains = new List<RaplDomain>();
        if (!Directory.Exists(root))
        {
            return domains;
        }
        foreach (var package in Directory.GetDirectories(root, "intel-rapl:*").Where(IsTopLevel).Order(StringComparer.Ordinal))
        {
            var packageName = ReadName(package);
            if (packageName is null || !packageName.StartsWith("package", StringComparison.Ordinal))
            {
                continue;
            }
            TryAdd(domains, package, $"cpu:{packageName}", DeviceKind.Cpu, skipped);
            foreach (var sub in Directory.GetDirectories(package, "intel-rapl:*").Order(StringComparer.Ordinal))
            {
                if (ReadName(sub) == "dram")
                {
                    TryAdd(domains, sub, $"memory:dram-{packageName.Replace("package-", "", StringComparison.Ordinal)}", DeviceKind.Memory, skipped);
                }
            }
        }
        return domains;
    }

    // Top-level zones are "intel-rapl:N"; "intel-rapl:N:M" entries at the root are links to sub-zones.
    private static bool IsTopLevel(string path) => Path.GetFileName(path).Count(c => c == ':') == 1;

    private static string? ReadName(string folder)
    {
        var file = Path.Combine(folder, "name");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    private static void TryAdd(List<RaplDomain> domains, string folder, string device, DeviceKind kind, Action<string>? skipped)
    {
        try
        {
            domains.Add(new RaplDomain(folder, device, kind));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or FormatException)
        {
            skipped?.Invoke($"{device}: {ex.Message}");
        }
    }
}
