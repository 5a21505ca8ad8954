using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Leadership;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Experiments;

public sealed partial class DispatchService
{
    /// <summary>How the notes about a stall begin and how the one that says the run waits ends (it goes once the run trains again).</summary>
    private const string StallNote = "stalled in ";
    private const string WaitsNote = "it waits for a worker";

    /// <summary>A run that is no longer stalled, and trains where it is, drops the note that said it waited.</summary>
    private static ExperimentRecord WithoutStaleStallNote(ExperimentRecord record) =>
        record is { State: ExperimentState.Running, StrandedIn: null, ReportedState: ExperimentRunState.Running } && record.Message?.EndsWith(WaitsNote, StringComparison.Ordinal) == true
            ? record with { Message = null }
            : record;

    /// <summary>
    /// A stalled run (no progress, no owner claim, no command for a stall period) whose region has no live worker:
    /// nobody will take its command from that queue. If another allowed region has a worker, the run is taken back
    /// (paused, its plan dropped, a Pause queued where it was so its stale Start cannot train it there later) and
    /// planned again without that region; the record's message and the log say so. Null when it stays where it is:
    /// its region has a worker (the stall is re-sent a Resume there), or no other region can take it (it waits for
    /// its worker to come back, which the AppHost restarts, and the message says it waits).
    /// </summary>
    private async Task<(ExperimentRecord Record, bool Moved)> CheckStrandedAsync(ExperimentRecord record, DateTimeOffset now, LeaseTerm leader)
    {
        if (record.Region is not { } region || await commands.HasLiveWorkerAsync(region))
        {
            return (record, false);
        }
        var allowed = record.Spec.Carbon.AllowedRegions.Count > 0 ? record.Spec.Carbon.AllowedRegions : carbon.PlannedRegions;
        var elsewhere = new List<string>();
        foreach (var other in allowed.Where(r => !r.Equals(region, StringComparison.OrdinalIgnoreCase)))
        {
            if (await commands.HasLiveWorkerAsync(other))
            {
                elsewhere.Add(other);
            }
        }
        var stall = options.Value.StallSeconds;
        if (elsewhere.Count == 0)
        {
            var waiting = $"{StallNote}{region}: no progress and no live worker there for over {stall} s, and no other allowed region has one; {WaitsNote}";
            if (record.Message != waiting)
            {
                LogStrandedWaiting(logger, record.Id, region, stall);
            }
            return (record with { Message = waiting }, false);
        }
        await SendAsync(region, record.Id, TrainerCommandKind.Pause, now, leader);
        LogStrandedMoved(logger, record.Id, region, stall, string.Join(", ", elsewhere));
        return (record with
        {
            State = ExperimentState.Paused, Plan = null, StrandedIn = region, LastCommandAt = now,
            Message = $"{StallNote}{region}: no progress and no live worker there for over {stall} s; planned again in {string.Join(" or ", elsewhere)}",
        }, true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} stalled in {Region}: no progress and no live worker there for over {Seconds} s; planning it again in {Regions}")]
    private static partial void LogStrandedMoved(ILogger logger, string experimentId, string region, int seconds, string regions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} stalled in {Region}: no live worker there for over {Seconds} s and no other allowed region has one; it waits for a worker")]
    private static partial void LogStrandedWaiting(ILogger logger, string experimentId, string region, int seconds);
}
