using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Store.Leadership;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Rebuilds every open experiment's plan from the stored records and the current forecasts. Everything it
/// needs is in the store, so the first replan after a restart restores all plans; an experiment whose
/// planned start was missed while the Scheduler was down is planned from now, at once if its deadline needs it.
/// </summary>
public sealed partial class PlanningService(
    ExperimentStore experiments, SharedExperiments history, ExperimentLock gate, Leadership.SchedulerLeadership leadership, ForecastService forecasts, CarbonOptions carbon, IOptions<SchedulerOptions> options, TimeProvider time,
    DispatchService dispatch, ILogger<PlanningService> logger)
{
    /// <summary>
    /// Replans every open experiment; returns how many. Only the leader plans: a follower, or a replica whose term the
    /// store refuses midway, plans nothing (the leader plans from the same records).
    /// </summary>
    public async Task<int> ReplanAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await gate.RunAsync(() => leadership.Term is { } term ? ReplanLockedAsync(term, cancellationToken) : Task.FromResult(0), cancellationToken);
        }
        catch (Leadership.LeadershipLostException ex)
        {
            leadership.Refused(ex.Term);
            LogNotLeader(logger, ex.Message);
            return 0;
        }
    }

    private async Task<int> ReplanLockedAsync(LeaseTerm leader, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var open = (await experiments.ListAsync()).Where(r => !r.IsFinished && !r.IsHeld).ToList();
        if (open.Count == 0)
        {
            return 0;
        }
        var series = new List<IntensitySeries>();
        var builtIn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var region in carbon.PlannedRegions)
        {
            if (await forecasts.GetAsync(region, cancellationToken) is { } forecast)
            {
                series.Add(forecast.Series);
                if (forecast.Origin == ForecastOrigin.NeverFetched)
                {
                    builtIn[region] = forecast.Problem ?? "no forecast was ever fetched";
                }
            }
        }
        if (series.Count == 0)
        {
            LogNoForecast(logger, open.Count);
            return 0;
        }
        var plans = Plan(open, series, now, settings, carbon);
        for (var i = 0; i < open.Count; i++)
        {
            var plan = WithFallbackNote(plans[i], open[i], builtIn);
            if (open[i].StrandedIn is { } stranded)
            {
                plan = plan with { Reason = Join($"moved from {stranded}: its run stalled there with no live worker", plan.Reason) };
            }
            if (plan.Error is { } error)
            {
                await FailUnplannableAsync(open[i], plan, error, now, leader);
                continue;
            }
            await experiments.UpdateAsync(open[i].Id, r => r with { Plan = plan, FirstPlan = r.FirstPlan ?? plan, PlannedAt = now, UpdatedAt = now }, leader);
            if (open[i].Plan is not { } before || !before.Intervals.SequenceEqual(plan.Intervals))
            {
                await history.AppendPlanAsync(open[i].Id, Snapshot(plan, now));
                LogPlanned(logger, open[i].Id, Describe(plan), plan.ExpectedGrams, plan.RunNowGrams);
            }
            if (plan.Reason is { } reason)
            {
                LogPlanNote(logger, open[i].Id, reason);
            }
        }
        return open.Count;
    }

    /// <summary>The plan as the experiment's plan history keeps it (the web UI shows the first plan and each replan).</summary>
    private static GreenTrain.ServiceDefaults.Contracts.PlanSnapshot Snapshot(JobPlan plan, DateTimeOffset now) => new(now,
        plan.Intervals.Select(i => new GreenTrain.ServiceDefaults.Contracts.PlanSnapshotInterval(i.Region, i.Start, i.End)).ToList(),
        plan.ExpectedGrams, plan.RunNowGrams, plan.MeetsDeadline, plan.Pauses, plan.Migrations, plan.Reason);

    /// <summary>
    /// The plans for open experiments against the regions' forecasts, as of <paramref name="now"/>: the whole of planning
    /// but the store (pure; the demo's own test plans with it too). With <paramref name="scenarios"/> (the forecast's past
    /// errors) each job's current cell is run or paused as the scenarios vote, not as the point forecast ranks it; with
    /// <paramref name="threshold"/> as the online threshold rule says (both off live: neither kept more of the saving).
    /// </summary>
    public static IReadOnlyList<JobPlan> Plan(IReadOnlyList<ExperimentRecord> open, IReadOnlyList<IntensitySeries> series, DateTimeOffset now,
        SchedulerOptions settings, CarbonOptions carbon, ForecastScenarios? scenarios = null, OnlineThreshold? threshold = null)
    {
        var step = carbon.WallTime(TimeSpan.FromMinutes(settings.StepMinutes));
        var horizon = carbon.WallTime(TimeSpan.FromHours(carbon.HorizonHours));
        var plans = new JobPlan?[open.Count];
        var jobs = new List<PlanningJob>();
        var planned = new List<int>();
        for (var i = 0; i < open.Count; i++)
        {
            try
            {
                jobs.Add(ToPlanningJob(open[i], now + horizon, settings, carbon.PlannedRegions));
                planned.Add(i);
            }
            catch (Exception ex) when (ex is ArithmeticException or ArgumentException)
            {
                plans[i] = JobPlan.Unplannable(open[i].Id, settings.Policy, ex.Message); // 1e308 h overflows a TimeSpan
            }
        }
        // The grid reaches the latest deadline, but no further than MaxGridCells: a deadline years away must not
        // allocate millions of cells (past the grid's end such a job is planned as if its deadline were there).
        var latest = jobs.Select(j => j.Deadline).Append(now + horizon).Max();
        var cells = (int)Math.Min(MaxGridCells, Math.Ceiling((latest - now) / step));
        var grid = ForecastGrid.FromSeries(series, now, step, cells);
        var slots = carbon.PlannedRegions.ToDictionary(r => r, r => settings.Slots.TryGetValue(r, out var n) ? n : 1, StringComparer.OrdinalIgnoreCase);
        var results = CarbonPlanner.Plan(grid, now, jobs, settings.Policy, slots, scenarios, threshold);
        for (var j = 0; j < planned.Count; j++)
        {
            plans[planned[j]] = results[j];
        }
        return plans.Select(p => p!).ToList();
    }

    /// <summary>A year of 15-minute cells, or four days of cells under the default 96x replay: enough for any deadline a submission may carry.</summary>
    private const int MaxGridCells = 35_136;

    /// <summary>A plan made on a built-in fallback says so in its note: its expected grams are a typical day's, not a forecast.</summary>
    private static JobPlan WithFallbackNote(JobPlan plan, ExperimentRecord record, IReadOnlyDictionary<string, string> builtIn)
    {
        var regions = plan.Intervals.Count > 0 ? plan.Intervals.Select(i => i.Region).Distinct(StringComparer.OrdinalIgnoreCase)
            : record.Spec.Carbon.AllowedRegions;
        var notes = regions.Where(builtIn.ContainsKey).Select(r => $"{r.ToUpperInvariant()}: {builtIn[r]}").ToList();
        return notes.Count == 0 || plan.Error is not null ? plan
            : plan with { Reason = string.Join("; ", notes.Append(plan.Reason ?? "planned on it").Where(n => n.Length > 0)) };
    }

    /// <summary>
    /// A job whose figures the planner cannot use fails, with the plan's note saying why, rather than throwing every
    /// replan; a run its worker holds is cancelled there, since nothing will ever plan its pause or its end.
    /// </summary>
    private async Task FailUnplannableAsync(ExperimentRecord record, JobPlan plan, string error, DateTimeOffset now, LeaseTerm leader)
    {
        var sequence = record.DispatchSequence;
        if (record.Region is { } region && record.State is ExperimentState.Running or ExperimentState.Paused)
        {
            sequence = await dispatch.SendPlannedAsync(record, region, ServiceDefaults.Contracts.TrainerCommandKind.Cancel, now, leader);
        }
        await experiments.UpdateAsync(record.Id, r => r with
        {
            DispatchSequence = Math.Max(r.DispatchSequence, sequence),
            State = ExperimentState.Failed, Plan = plan, PlannedAt = now, UpdatedAt = now,
            Message = $"cannot be planned ({error}); submit it again with estimates the planner can use",
        }, leader);
        LogUnplannable(logger, record.Id, error);
    }

    /// <summary>The job's whole length, for rules that count its cells from the start; null where the estimate is past what a TimeSpan holds.</summary>
    private static TimeSpan? WholeWork(ExperimentRecord record) =>
        Math.Max(record.EstimatedHours, record.RemainingHours) is var hours && double.IsFinite(hours) && hours < TimeSpan.MaxValue.TotalHours / 2
            ? TimeSpan.FromHours(hours) : null;

    private static PlanningJob ToPlanningJob(ExperimentRecord record, DateTimeOffset noDeadline, SchedulerOptions settings, IReadOnlyList<string> regions)
    {
        var phase = record.State switch
        {
            ExperimentState.Running => JobPhase.Running,
            ExperimentState.Paused => JobPhase.Paused,
            _ => JobPhase.Waiting,
        };
        return new PlanningJob(record.Id, record.RemainingKWh, TimeSpan.FromHours(record.RemainingHours),
            record.Deadline ?? noDeadline, record.Spec.Carbon.Pausable,
            AllowedFor(record, regions),
            PauseCosts(settings, record.RemainingKWh, record.RemainingHours), phase, record.Region,
            HasDeadline: record.Deadline is not null, TotalDuration: WholeWork(record));
    }

    /// <summary>The configured pause costs, or, where CheckpointSeconds/ResumeSeconds are set, the job's own power for that long.</summary>
    public static JobCosts PauseCosts(SchedulerOptions settings, double remainingKWh, double remainingHours)
    {
        var kW = remainingHours > 0 ? remainingKWh / remainingHours : 0;
        return new JobCosts(
            settings.CheckpointSeconds is { } checkpoint && kW > 0 ? kW * checkpoint / 3600 : settings.CheckpointKWh,
            settings.ResumeSeconds is { } resume && kW > 0 ? kW * resume / 3600 : settings.ResumeKWh,
            settings.MigrationKWh);
    }

    private static string Join(string note, string? other) => other is null ? note : $"{note}; {other}";

    /// <summary>The regions the job may run in; a run stranded in a region without a worker is planned elsewhere while it can be.</summary>
    private static IReadOnlyList<string> AllowedFor(ExperimentRecord record, IReadOnlyList<string> regions)
    {
        var allowed = record.Spec.Carbon.AllowedRegions.Count > 0 ? record.Spec.Carbon.AllowedRegions : regions;
        if (record.StrandedIn is not { } stranded)
        {
            return allowed;
        }
        var others = allowed.Where(r => !r.Equals(stranded, StringComparison.OrdinalIgnoreCase)).ToList();
        return others.Count > 0 ? others : allowed;
    }

    private static string Describe(JobPlan plan) => plan.Intervals.Count == 0
        ? "no window"
        : string.Join(", ", plan.Intervals.Select(i => $"{i.Region} {i.Start:HH:mm:ss}-{i.End:HH:mm:ss}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} planned in {Windows}: {Grams:0.##} g CO2eq expected against {RunNowGrams:0.##} g running at once")]
    private static partial void LogPlanned(ILogger logger, string experimentId, string windows, double grams, double runNowGrams);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} cannot be planned and has failed: {Error}")]
    private static partial void LogUnplannable(ILogger logger, string experimentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planning stopped: {Detail}")]
    private static partial void LogNotLeader(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No forecast for any region yet; {Count} experiments wait for one")]
    private static partial void LogNoForecast(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Reason}")]
    private static partial void LogPlanNote(ILogger logger, string experimentId, string reason);
}
