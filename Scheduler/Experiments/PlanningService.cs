using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Rebuilds every open experiment's plan from the stored records and the current forecasts. Everything it
/// needs is in the store, so the first replan after a restart restores all plans; an experiment whose
/// planned start was missed while the Scheduler was down is planned from now, at once if its deadline needs it.
/// </summary>
public sealed partial class PlanningService(
    ExperimentStore experiments, ExperimentLock gate, ForecastService forecasts, CarbonOptions carbon, IOptions<SchedulerOptions> options, TimeProvider time,
    ILogger<PlanningService> logger)
{
    public Task<int> ReplanAsync(CancellationToken cancellationToken) => gate.RunAsync(() => ReplanLockedAsync(cancellationToken), cancellationToken);

    private async Task<int> ReplanLockedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var open = (await experiments.ListAsync()).Where(r => !r.IsFinished && !r.HeldByUser).ToList();
        if (open.Count == 0)
        {
            return 0;
        }
        var series = new List<IntensitySeries>();
        foreach (var region in carbon.PlannedRegions)
        {
            if (await forecasts.GetAsync(region, cancellationToken) is { } forecast)
            {
                series.Add(forecast.Series);
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
            var plan = plans[i];
            await experiments.UpdateAsync(open[i].Id, r => r with { Plan = plan, FirstPlan = r.FirstPlan ?? plan, PlannedAt = now, UpdatedAt = now });
            if (open[i].Plan is not { } before || !before.Intervals.SequenceEqual(plan.Intervals))
            {
                LogPlanned(logger, open[i].Id, Describe(plan), plan.ExpectedGrams, plan.RunNowGrams);
            }
            if (plan.Reason is { } reason)
            {
                LogPlanNote(logger, open[i].Id, reason);
            }
        }
        return open.Count;
    }

    /// <summary>
    /// The plans for open experiments against the regions' forecasts, as of <paramref name="now"/>: the whole of planning
    /// but the store (pure; the demo's own test plans with it too).
    /// </summary>
    public static IReadOnlyList<JobPlan> Plan(IReadOnlyList<ExperimentRecord> open, IReadOnlyList<IntensitySeries> series, DateTimeOffset now,
        SchedulerOptions settings, CarbonOptions carbon)
    {
        var step = carbon.WallTime(TimeSpan.FromMinutes(settings.StepMinutes));
        var horizon = carbon.WallTime(TimeSpan.FromHours(carbon.HorizonHours));
        var latest = open.Select(r => r.Spec.Carbon.Deadline ?? now + horizon).Append(now + horizon).Max();
        var cells = (int)Math.Ceiling((latest - now) / step);
        var grid = ForecastGrid.FromSeries(series, now, step, cells);
        var jobs = open.Select(r => ToPlanningJob(r, now + horizon, settings, carbon.PlannedRegions)).ToList();
        var slots = carbon.PlannedRegions.ToDictionary(r => r, r => settings.Slots.TryGetValue(r, out var n) ? n : 1, StringComparer.OrdinalIgnoreCase);
        return CarbonPlanner.Plan(grid, now, jobs, settings.Policy, slots);
    }

    private static PlanningJob ToPlanningJob(ExperimentRecord record, DateTimeOffset noDeadline, SchedulerOptions settings, IReadOnlyList<string> regions)
    {
        var phase = record.State switch
        {
            ExperimentState.Running => JobPhase.Running,
            ExperimentState.Paused => JobPhase.Paused,
            _ => JobPhase.Waiting,
        };
        return new PlanningJob(record.Id, record.RemainingKWh, TimeSpan.FromHours(record.RemainingHours),
            record.Spec.Carbon.Deadline ?? noDeadline, record.Spec.Carbon.Pausable,
            record.Spec.Carbon.AllowedRegions.Count > 0 ? record.Spec.Carbon.AllowedRegions : regions,
            PauseCosts(settings, record.RemainingKWh, record.RemainingHours), phase, record.Region);
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

    private static string Describe(JobPlan plan) => plan.Intervals.Count == 0
        ? "no window"
        : string.Join(", ", plan.Intervals.Select(i => $"{i.Region} {i.Start:HH:mm:ss}-{i.End:HH:mm:ss}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} planned in {Windows}: {Grams:0.##} g CO2eq expected against {RunNowGrams:0.##} g running at once")]
    private static partial void LogPlanned(ILogger logger, string experimentId, string windows, double grams, double runNowGrams);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No forecast for any region yet; {Count} experiments wait for one")]
    private static partial void LogNoForecast(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Reason}")]
    private static partial void LogPlanNote(ILogger logger, string experimentId, string reason);
}
