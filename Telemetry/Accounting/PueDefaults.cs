namespace GreenTrain.Telemetry.Accounting;

/// <summary>
/// Power usage effectiveness by where the run happens, when the user gives no figure. Provider figures are
/// fleet-wide annual averages the providers published; a given region can differ (docs/telemetry.md).
/// </summary>
public static class PueDefaults
{
    /// <summary>A local machine: no building overhead is known, so none is added.</summary>
    public const double Local = 1.0;

    private static readonly Dictionary<string, (double Pue, string Source)> Clouds = new(StringComparer.OrdinalIgnoreCase)
    {
        // AWS: global PUE 1.15 for 2023, first published at re:Invent 2024 (Amazon sustainability data).
        ["aws"] = (1.15, "AWS global average 2023"),
        // Google: fleet-wide trailing-twelve-month PUE about 1.10 (Google data-center efficiency page, 2023).
        ["gcp"] = (1.10, "Google fleet average 2023"),
        // Microsoft: global average 1.18 across its data centers, newest designs 1.12 (Microsoft, 2024 reporting).
        ["azure"] = (1.18, "Microsoft global average"),
    };

    public static IReadOnlyCollection<string> KnownClouds => Clouds.Keys;

    /// <summary>The PUE and why: a configured value wins, then the cloud's average, then 1.0 for a local machine.</summary>
    public static (double Pue, string Source) Resolve(double? configured, string? cloudProvider)
    {
        if (configured is { } pue)
        {
            return (pue, "configured");
        }
        if (!string.IsNullOrEmpty(cloudProvider))
        {
            return Clouds.TryGetValue(cloudProvider, out var known)
                ? known
                : throw new ArgumentException($"Unknown cloud provider '{cloudProvider}': use one of {string.Join(", ", Clouds.Keys)} or give the PUE.");
        }
        return (Local, "local machine default (no overhead known)");
    }
}
