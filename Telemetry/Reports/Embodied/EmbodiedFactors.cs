namespace GreenTrain.Telemetry.Reports.Embodied;

/// <summary>One device's manufacturing emissions (cradle to gate) and where the figure comes from.</summary>
public sealed record EmbodiedFactor(double Kilograms, string Basis);

/// <summary>
/// Default embodied emissions per device class, used for SCI's M when nothing else is configured. Figures are
/// kg CO2e for the whole device; the share one run carries is its reserved time over <see cref="LifetimeYears"/>.
/// </summary>
public static class EmbodiedFactors
{
    /// <summary>
    /// 6 years: the useful life Microsoft (FY2022, from 4) and Alphabet (2023) give their servers in their annual
    /// reports; SCI's EL is the expected lifespan of the hardware.
    /// </summary>
    public const double LifetimeYears = 6;

    /// <summary>
    /// A100: 150 kg, the per-GPU estimate of Luccioni, Viguier, Ligozat, "Estimating the Carbon Footprint of BLOOM"
    /// (JMLR 2023), derived from Dell's PowerEdge LCA. NVIDIA publishes no per-GPU LCA for H100/H200, so the A100
    /// figure stands for every SXM data-centre GPU of one large die plus HBM (V100, A100, H100, H200, B200). Smaller
    /// PCIe cards scale it by compute-die area (A100 826 mm2): T4 545 mm2 -> 99 kg, L4 294 mm2 -> 53 kg,
    /// A10 628 mm2 -> 114 kg. An unknown GPU gets the data-centre figure, so M is not understated.
    /// </summary>
    private static readonly (string Match, EmbodiedFactor Factor)[] Gpus =
    [
        ("T4", new(150 * 545.0 / 826, "BLOOM A100 figure scaled by die area (545/826 mm2)")),
        ("L4", new(150 * 294.0 / 826, "BLOOM A100 figure scaled by die area (294/826 mm2)")),
        ("A10", new(150 * 628.0 / 826, "BLOOM A100 figure scaled by die area (628/826 mm2)")),
        ("A100", new(150, "Luccioni et al. 2022 (BLOOM), per A100 GPU")),
        ("H100", new(150, "BLOOM A100 figure (no per-GPU LCA published for H100)")),
        ("H200", new(150, "BLOOM A100 figure (no per-GPU LCA published for H200)")),
        ("V100", new(150, "BLOOM A100 figure (same class: one large die plus HBM)")),
    ];

    public static readonly EmbodiedFactor UnknownGpu = new(150, "BLOOM A100 figure (GPU model unknown)");

    /// <summary>
    /// Boavizta's CPU model (boaviztapi docs, components/cpu): (cores x die area per core + 0.491 cm2) x 1.97 kg/cm2 + 9.14 kg,
    /// with its archetype of 24 cores at 0.245 cm2 per core: 21.7 kg per package.
    /// </summary>
    public static readonly EmbodiedFactor CpuPackage = new((24 * 0.245 + 0.491) * 1.97 + 9.14, "Boavizta CPU archetype (24 cores, 0.245 cm2/core)");

    /// <summary>
    /// Boavizta's RAM model (components/ram): per strip (capacity / density) x 2.20 kg/cm2 + 5.22 kg, with its defaults of
    /// 32 GB strips at 0.625 GB/cm2: 3.68 kg per GB.
    /// </summary>
    public static readonly EmbodiedFactor MemoryPerGb = new((32 / 0.625 * 2.20 + 5.22) / 32, "Boavizta RAM defaults (32 GB strips, 0.625 GB/cm2)");

    /// <summary>Boavizta's default strip, for a run that does not say how much memory its machine has.</summary>
    public const double DefaultMemoryGb = 32;

    /// <summary>The factor for a GPU model name ("NVIDIA H200", "Tesla T4"): the first listed model it names, else <see cref="UnknownGpu"/>.</summary>
    public static EmbodiedFactor Gpu(string? model)
    {
        if (model is null)
        {
            return UnknownGpu;
        }
        var words = model.ToUpperInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var (match, factor) in Gpus)
        {
            if (words.Any(w => w == match || w.StartsWith(match, StringComparison.Ordinal) && w.Length > match.Length && !char.IsDigit(w[match.Length])))
            {
                return factor;
            }
        }
        return UnknownGpu;
    }
}
