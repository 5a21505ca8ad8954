using System.Globalization;
using System.Text;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.EndToEnd.Tests.Load;

/// <summary>One experiment as the load scenario found it at the end: the Scheduler's state, the worker's report, and the steps it trained.</summary>
internal sealed record LoadRun(string Id, string? SchedulerState, ExperimentProgress? Progress, long StepsTrained, DateTimeOffset? LastTrainedAt);

/// <summary>What the load scenario measured, and the table it prints.</summary>
internal sealed record LoadResult(int Submitted, IReadOnlyList<LoadRun> Runs, DateTimeOffset Deadline, IReadOnlyList<double> ListLatenciesMs,
    TimeSpan Elapsed, TimeSpan KilledAt, TimeSpan RestartedAt, int Steps, int CheckpointEverySteps)
{
    public double Percentile(double p)
    {
        var sorted = ListLatenciesMs.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];
    }

    public int Completed => Runs.Count(r => r.SchedulerState == "completed" && r.Progress?.State == ExperimentRunState.Completed);

    public int Late => Runs.Count(r => r.Progress?.UpdatedAt is not { } at || at > Deadline);

    /// <summary>
    /// Runs that trained more than once over: the steps re-done after a kill or a restart are at most one checkpoint
    /// interval per interruption (two here), so more than that is a second run, not a recovery.
    /// </summary>
    public int TrainedTwice => Runs.Count(r => r.StepsTrained > Steps + 2 * CheckpointEverySteps);

    public string Table()
    {
        var table = new StringBuilder();
        table.AppendLine("| experiments | completed | late | trained twice | steps re-done (max) | GET /experiments p50 ms | p99 ms | max ms | samples | wall s | trainer killed at s | AppHost restarted at s |");
        table.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Submitted} | {Completed} | {Late} | {TrainedTwice} | {Runs.Max(r => r.StepsTrained) - Steps} | {Percentile(50):0} | {Percentile(99):0} | {ListLatenciesMs.Max():0} | {ListLatenciesMs.Count} | {Elapsed.TotalSeconds:0} | {KilledAt.TotalSeconds:0} | {RestartedAt.TotalSeconds:0} |"));
        return table.ToString();
    }
}
