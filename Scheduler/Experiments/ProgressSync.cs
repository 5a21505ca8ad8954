using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Folds what the worker reported (its progress hash) into the Scheduler's record: how far the run is (so
/// replans plan only the work left) and its end (completed, failed, cancelled). The Scheduler's own
/// decisions (running, paused) stay the record's state: the worker's paused/running only say whether it has
/// caught up with them, which the dispatcher asks through <see cref="WorkerStillRunsElsewhere"/>.
/// </summary>
public static partial class ProgressSync
{
    private static readonly TimeSpan MaxCountedGap = TimeSpan.FromSeconds(30);

    /// <param name="prediction">Telemetry's prediction of the run's totals, if it has made one (kept when it has not).</param>
    public static ExperimentRecord Merge(ExperimentRecord record, ExperimentProgress? progress, RunPrediction? prediction, DateTimeOffset now, ILogger logger)
    {
        if (progress is null || record.IsFinished)
        {
            return record;
        }
        var share = progress.TotalSteps > 0 ? Math.Clamp((double)progress.Step / progress.TotalSteps, 0, 1) : record.Progress;
        // Time between two looks at a run that was and is running counts as training time (capped: a gap longer
        // than that means the Scheduler was not looking, not that the run went on).
        var active = record.ActiveSeconds;
        if (progress.State == ExperimentRunState.Running && record.ReportedState == ExperimentRunState.Running && record.ObservedAt is { } last)
        {
            active += Math.Clamp((now - last).TotalSeconds, 0, MaxCountedGap.TotalSeconds);
        }
        var merged = record with
        {
            Progress = Math.Max(record.Progress, share), ReportedState = progress.State, BestMetric = progress.BestMetric ?? record.BestMetric,
            ActiveSeconds = active, ObservedAt = now, ReportedAt = progress.UpdatedAt, Prediction = prediction ?? record.Prediction,
            StoppedAt = progress.State == ExperimentRunState.Paused ? progress.StoppedAt : null,
        };
        if (merged.AwaitsNextSegment && merged.State == ExperimentState.Running)
        {
            // The worker stopped at the segment limit and let the run go: it is paused there, not running, until the limit is raised.
            return merged with { State = ExperimentState.Paused };
        }
        switch (progress.State)
        {
            case ExperimentRunState.Completed:
                var plan = record.FirstPlan ?? record.Plan;
                var saved = plan is { RunNowGrams: > 0 } ? 100 * (1 - plan.ExpectedGrams / plan.RunNowGrams) : 0;
                LogFinished(logger, record.Id, progress.BestMetric ?? 0, plan?.ExpectedGrams ?? 0, saved, plan?.RunNowGrams ?? 0);
                return merged with { State = ExperimentState.Completed, Progress = 1 };
            case ExperimentRunState.Failed:
                LogFailed(logger, record.Id, progress.Message ?? "no reason given");
                return merged with { State = ExperimentState.Failed, Message = progress.Message };
            case ExperimentRunState.Cancelled:
                return merged with { State = ExperimentState.Cancelled };
            default:
                return merged;
        }
    }

    /// <summary>
    /// True while the worker of the region the experiment is leaving still trains it: a Resume elsewhere now
    /// would find the experiment owned and do nothing, so the move waits for the pause to land.
    /// </summary>
    public static bool WorkerStillRunsElsewhere(ExperimentRecord record, string wanted) =>
        record.ReportedState is ExperimentRunState.Running or ExperimentRunState.Pausing
        && record.Region is { } at && !at.Equals(wanted, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Experiment {ExperimentId} finished (best metric {Metric:0.###}): its plan expected {Grams:0.##} g CO2eq, {Saved:0.#}% less than running at once ({RunNowGrams:0.##} g); Telemetry logs the measured figures")]
    private static partial void LogFinished(ILogger logger, string experimentId, double metric, double grams, double saved, double runNowGrams);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} failed in its worker: {Reason}")]
    private static partial void LogFailed(ILogger logger, string experimentId, string reason);
}
