using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Leadership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Turns plans into commands: at each moment an experiment should be running where its plan's current
/// interval says, and nowhere when no interval covers now. Where that differs from its state, it queues
/// start, resume or pause commands on the regions' queues (a move is a pause where it was and a resume
/// where it goes: the checkpoint is in the shared store) and records the new state. A run still going after
/// its plan's last interval (slower than estimated) runs on, and the result asks for a replan.
/// </summary>
public sealed partial class DispatchService(
    ExperimentStore experiments, ICommandSink commands, RunChannel runs, Forecasting.ForecastService forecasts, Forecasting.CarbonOptions carbon, ExperimentLock gate,
    Leadership.SchedulerLeadership leadership, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<DispatchService> logger)
{
    private static readonly TimeSpan MinOutlastReplanGap = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Dispatches what is due now; returns the next plan boundary after now and whether plans must be rebuilt. Only
    /// the leader dispatches: on a follower, or when the store refuses this replica's lapsed term midway, it does
    /// nothing more (the leader decides again from the records, which say what was sent).
    /// </summary>
    public async Task<DispatchResult> DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await gate.RunAsync(() => leadership.Term is { } term ? DispatchLockedAsync(term) : Task.FromResult(Nothing), cancellationToken);
        }
        catch (Leadership.LeadershipLostException ex)
        {
            leadership.Refused(ex.Term);
            LogNotLeader(logger, ex.Message);
            return Nothing;
        }
    }

    private static readonly DispatchResult Nothing = new(null, false);

    private async Task<DispatchResult> DispatchLockedAsync(LeaseTerm leader)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        var replan = false;
        foreach (var stored in await experiments.ListAsync())
        {
            if (stored.IsFinished)
            {
                await FollowStoppingWorkerAsync(stored, now, leader);
                continue;
            }
            // The worker's report first: a finished run needs no command, and a plan's moves wait for pauses to land.
            var record = ProgressSync.Merge(stored, await runs.ReadProgressAsync(stored.Id), await runs.ReadPredictionAsync(stored.Id), now, logger);
            if (record.IsFinished || record.Plan is not { } plan)
            {
                if (record != stored)
                {
                    await experiments.SaveAsync(record with { UpdatedAt = now }, leader);
                }
                continue;
            }
            var current = plan.Intervals.FirstOrDefault(i => i.Start <= now && now < i.End);
            var wanted = record.IsHeld ? null : current?.Region;
            if (!record.IsHeld && OutlastedItsPlan(record, plan, now))
            {
                // The plan's last interval ends where the estimated work does, not where the clean window does: a run
                // still going there took longer than estimated. Pausing it would cost a checkpoint and a resume for
                // what is likely a little work, and a resume slower than the short interval planned for that little
                // work would be paused again before it trains (a livelock under load); so it runs on, and plans are
                // rebuilt from its measured pace at once: once per plan (a fresh plan ends after the moment it was made), and at
                // most once a second, for a run whose last report says it is almost done gets a plan of a few milliseconds.
                wanted = record.Region;
                if (record.PlannedAt is not { } plannedAt || (plannedAt < plan.Intervals[^1].End && now - plannedAt >= MinOutlastReplanGap))
                {
                    replan = true;
                    LogOutlasted(logger, record.Id, record.Region!, record.Progress * 100);
                }
            }
            var stalled = await IsStalledAsync(record, now);
            if (stalled)
            {
                var (checkedRecord, moved) = await CheckStrandedAsync(record, now, leader);
                if (moved)
                {
                    await experiments.SaveAsync(checkedRecord with { UpdatedAt = now }, leader);
                    replan = true;
                    continue;
                }
                record = checkedRecord;
            }
            else
            {
                record = WithoutStaleStallNote(record);
            }
            if (JustStarted(record, now) is { } settled && (wanted is null || !wanted.Equals(record.Region, StringComparison.OrdinalIgnoreCase)))
            {
                wanted = record.Region; // hysteresis: the plan's pause or move waits until the run has run its minimum
                next = next is null || settled < next ? settled : next;
            }
            var updated = await ApplyAsync(record, plan, wanted, stalled, now, leader);
            if (updated.State != record.State || updated.Region != record.Region)
            {
                updated = updated with { LastCommandAt = now }; // every change of state or region queued a command
            }
            if (updated != stored)
            {
                await experiments.SaveAsync(updated with { UpdatedAt = now }, leader);
            }
            foreach (var boundary in plan.Intervals.SelectMany(i => new[] { i.Start, i.End }).Where(b => b > now))
            {
                next = next is null || boundary < next ? boundary : next;
            }
        }
        return new DispatchResult(next, replan);
    }

    /// <summary>
    /// A record cancelled while its worker trained keeps taking the worker's reports until the worker says it has
    /// stopped, so the view's workerState goes from running to cancelled instead of staying running for ever.
    /// </summary>
    private async Task FollowStoppingWorkerAsync(ExperimentRecord record, DateTimeOffset now, LeaseTerm leader)
    {
        if (record.State != ExperimentState.Cancelled
            || record.ReportedState is null or ExperimentRunState.Cancelled or ExperimentRunState.Completed or ExperimentRunState.Failed)
        {
            return;
        }
        if (await runs.ReadProgressAsync(record.Id) is { } last && last.State != record.ReportedState)
        {
            await experiments.SaveAsync(record with { ReportedState = last.State, ReportedAt = last.UpdatedAt, ObservedAt = now, UpdatedAt = now }, leader);
        }
    }

    /// <summary>When a run the plan started less than MinRunSeconds ago may first be paused or moved; null when it may be now.</summary>
    private DateTimeOffset? JustStarted(ExperimentRecord record, DateTimeOffset now) =>
        record is { State: ExperimentState.Running, HeldByUser: false, Region: not null, LastCommandAt: { } sent }
        && sent + TimeSpan.FromSeconds(options.Value.MinRunSeconds) is var settled && settled > now ? settled : null;

    /// <summary>Running, and every interval of its plan is over: the work outlasted the estimate the plan was made from.</summary>
    private static bool OutlastedItsPlan(ExperimentRecord record, Planning.JobPlan plan, DateTimeOffset now) =>
        record.State == ExperimentState.Running && record.Region is not null
        && plan.Intervals.Count > 0 && plan.Intervals[^1].End <= now;

    /// <summary>
    /// A run the Scheduler thinks is running but that nobody trains: no progress, no owner claim and no command for
    /// a stall period. A worker killed mid-run leaves that behind when the commands queued meanwhile made its
    /// requeued Start stale; a new Resume (newest command) sets it going again from the checkpoint.
    /// </summary>
    private async Task<bool> IsStalledAsync(ExperimentRecord record, DateTimeOffset now)
    {
        var stall = TimeSpan.FromSeconds(options.Value.StallSeconds);
        // A run its worker reports paused was paused on purpose (e.g. the dashboard's Pause training command): not stalled.
        return record.State == ExperimentState.Running
            && record.ReportedState != ExperimentRunState.Paused
            && (record.ReportedAt is not { } reported || now - reported > stall)
            && (record.LastCommandAt is not { } sent || now - sent > stall)
            && !await runs.HasOwnerAsync(record.Id);
    }

    private async Task<ExperimentRecord> ApplyAsync(ExperimentRecord record, Planning.JobPlan plan, string? wanted, bool stalled, DateTimeOffset now, LeaseTerm leader)
    {
        switch (record.State)
        {
            // Commands still waiting in the region's queue mean no worker has taken them yet, not that one died:
            // queuing another Resume then would only pile up commands for the same run.
            case ExperimentState.Running when stalled && wanted is not null && record.Region is { } at && at.Equals(wanted, StringComparison.OrdinalIgnoreCase)
                && await commands.PendingAsync(at) == 0:
                await runs.WriteSpecAsync(record);
                var resent = await SendPlannedAsync(record, wanted, TrainerCommandKind.Resume, now, leader);
                LogStalled(logger, record.Id, wanted, options.Value.StallSeconds);
                return record with { LastCommandAt = now, DispatchSequence = resent };
            case ExperimentState.Queued when wanted is not null:
                await runs.WriteSpecAsync(record);
                var started = await SendPlannedAsync(record, wanted, TrainerCommandKind.Start, now, leader);
                LogStarted(logger, record.Id, wanted, IntensityAt(wanted, now));
                return record with { State = ExperimentState.Running, Region = wanted, DispatchSequence = started };
            // A run taken back from a region without a live worker: its last report there says running, but nobody is.
            case ExperimentState.Paused when wanted is not null
                && (!ProgressSync.WorkerStillRunsElsewhere(record, wanted) || record.StrandedIn is { } gone && gone.Equals(record.Region, StringComparison.OrdinalIgnoreCase)):
                await runs.WriteSpecAsync(record);
                var resumed = await SendPlannedAsync(record, wanted, TrainerCommandKind.Resume, now, leader);
                LogResumed(logger, record.Id, wanted, record.Progress * 100, IntensityAt(wanted, now));
                return record with { State = ExperimentState.Running, Region = wanted, StrandedIn = null, DispatchSequence = resumed };
            case ExperimentState.Running when wanted is null && record.Region is { } region:
                var paused = await SendPlannedAsync(record, region, TrainerCommandKind.Pause, now, leader);
                TellPause(record, region, plan, now);
                return record with { State = ExperimentState.Paused, DispatchSequence = paused };
            case ExperimentState.Running when wanted is not null && record.Region is { } from && !from.Equals(wanted, StringComparison.OrdinalIgnoreCase):
                // A move is a pause here and, once the worker has checkpointed and let go, a resume there (next dispatch).
                var moved = await SendPlannedAsync(record, from, TrainerCommandKind.Pause, now, leader);
                LogMoving(logger, record.Id, from, IntensityAt(from, now), wanted, IntensityAt(wanted, now));
                return record with { State = ExperimentState.Paused, DispatchSequence = moved };
            default:
                return record;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch stopped: {Detail}")]
    private static partial void LogNotLeader(ILogger logger, string detail);
}
