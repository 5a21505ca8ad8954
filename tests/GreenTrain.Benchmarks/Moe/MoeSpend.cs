namespace GreenTrain.Benchmarks.Moe;

/// <summary>
/// What the equal-spend run is sized by: on a GPU the GPUs' NVML joules; on a CPU this process's CPU seconds, because
/// the CPU's joules are a machine-wide estimate that follows other processes' load on a shared machine (EqualEnergy's
/// CPU-seconds column exists for the same reason).
/// </summary>
public sealed record MoeSpend(string Name, Func<MoeResult, double> Of)
{
    public static MoeSpend For(bool gpu) => gpu ? new("GPU joules", r => r.GpuJoules) : new("CPU seconds", r => r.CpuSeconds);

    public double PerStep(MoeResult result) => Of(result) / result.Steps;
}
