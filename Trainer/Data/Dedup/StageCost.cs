using System.Diagnostics;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// What one part of the dedup stage cost: wall time and this process's CPU time (all its threads), so a profile
/// reads the same on a busy shared machine (where wall time stretches) as on a quiet one.
/// </summary>
/// <param name="Part">exact, near features, near match, semantic, prune, overlap ..., copy.</param>
/// <param name="Examples">Examples the part went through.</param>
public sealed record StageCost(string Part, int Examples, double Seconds, double CpuSeconds)
{
    public double ExamplesPerSecond => Examples / Math.Max(Seconds, 1e-9);
}

/// <summary>Measures parts into a list of <see cref="StageCost"/>: wall clock and Process.TotalProcessorTime around each.</summary>
public sealed class StageClock(List<StageCost> costs)
{
    public T Measure<T>(string part, int examples, Func<T> run)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = run();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        costs.Add(new StageCost(part, examples, seconds, (process.TotalProcessorTime - cpu).TotalSeconds));
        return result;
    }

    public void Measure(string part, int examples, Action run) => Measure(part, examples, () => { run(); return 0; });
}
