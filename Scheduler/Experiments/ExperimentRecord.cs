using GreenTrain.Scheduler.Planning;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>Where an experiment is in its life.</summary>
public enum ExperimentState
{
    /// <summary>Accepted, waiting for its first planned start.</summary>
    Queued,

    /// <summary>A start or resume command is on its region's queue or being carried out.</summary>
    Running,

    /// <summary>Paused by the plan (dirty grid) or by the user; its checkpoint is in <see cref="ExperimentRecord.Region"/>.</summary>
    Paused,

    Completed,

    /// <summary>Its worker reported a failure it cannot recover from (the message says why).</summary>
    Failed,

    Cancelled,
}

/// <summary>
/// Everything the Scheduler keeps about one experiment, stored as JSON in the experiments hash: the spec as
/// submitted, the planning estimates, its state and progress, and its latest plan. After a restart the
/// Scheduler rebuilds every plan from these records.
/// </summary>
public sealed record ExperimentRecord
{
    public required string Id { get; init; }

    public required ExperimentSpec Spec { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Run time the whole experiment is expected to need, from the submitter or the default.</summary>
    public required double EstimatedHours { get; init; }

    /// <summary>Energy the whole experiment is expected to use, in kWh.</summary>
    public required double EstimatedKWh { get; init; }

    public ExperimentState State { get; init; } = ExperimentState.Queued;

    /// <summary>Set by POST /pause: the plan does not resume the experiment until POST /resume.</summary>
    public bool HeldByUser { get; init; }

    /// <summary>
    /// Where its worker is to stop it for now (a sweep's rung; also in the store for the worker); null: the whole spec.
    /// The plan covers the work up to it, by <see cref="SegmentDeadline"/> when that is set.
    /// </summary>
    public SegmentLimit? Segment { get; init; }

    /// <summary>When the current segment is due (earlier than the spec's deadline for a sweep's early rungs); null: the spec's.</summary>
    public DateTimeOffset? SegmentDeadline { get; init; }

    /// <summary>The limit its worker last reported having stopped at (null once it trains again).</summary>
    public SegmentLimit? StoppedAt { get; init; }

    /// <summary>Its worker stopped at the current segment limit: nothing is planned for it until the limit is raised.</summary>
    public bool AwaitsNextSegment => Segment is not null && Segment == StoppedAt;

    /// <summary>Not to be planned or resumed now: held by its user, or waiting at its segment limit.</summary>
    public bool IsHeld => HeldByUser || AwaitsNextSegment;

    /// <summary>The deadline the plan must meet: the segment's when it is earlier than the spec's.</summary>
    public DateTimeOffset? Deadline => SegmentDeadline is { } segment && (Spec.Carbon.Deadline is not { } whole || segment < whole) ? segment : Spec.Carbon.Deadline;

    /// <summary>The share of the whole run at which the work planned now ends: the segment limit's, else 1.</summary>
    public double WorkEnd => Segment?.ShareOf(Spec.Training) ?? 1;

    /// <summary>The region it runs in or has its checkpoint in; null before its first start.</summary>
    public string? Region { get; init; }

    /// <summary>Share of the work done, 0 to 1, as last reported.</summary>
    public double Progress { get; init; }

    public JobPlan? Plan { get; init; }

    /// <summary>The first plan made for it: its expected and run-at-once grams are the figures the finish is told against.</summary>
    public JobPlan? FirstPlan { get; init; }

    /// <summary>What its worker last reported (the progress hash), null before a worker took it.</summary>
    public ExperimentRunState? ReportedState { get; init; }

    /// <summary>The best validation metric the worker reported.</summary>
    public double? BestMetric { get; init; }

    /// <summary>Wall seconds the Scheduler has seen its worker report it running: with <see cref="Progress"/>, the measured pace.</summary>
    public double ActiveSeconds { get; init; }

    /// <summary>When the worker's progress was last folded in (to add the time since to <see cref="ActiveSeconds"/>).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>
    /// Hours of work left: from Telemetry's prediction when there is one; else, once a tenth is done, from the measured
    /// pace (the submitter's estimate is a guess made before the run and planning on it would cut windows short or
    /// miss deadlines); before that, from the estimate.
    /// </summary>
    public double RemainingHours
    {
        get
        {
            var left = Math.Clamp(WorkEnd - Progress, 0, 1);
            double? pace = Progress >= 0.1 && ActiveSeconds > 0 ? ActiveSeconds / Progress * left / 3600 : null;
            if (Prediction is { DurationSeconds: > 0 } predicted)
            {
                // The prediction counts training windows only; the pace also counts what a run spends around them
                // (start-up, restores). Where both exist the longer one is planned: finishing early wastes little, a
                // missed deadline wastes the plan.
                return Math.Max(predicted.DurationSeconds * left / 3600, pace ?? 0);
            }
            return pace ?? EstimatedHours * left;
        }
    }

    /// <summary>
    /// Telemetry's prediction from the run's measured energy windows (after its first epoch or a set share of the
    /// steps); null before. It is the best figure for what remains, so it wins over the pace and the estimate.
    /// </summary>
    public RunPrediction? Prediction { get; init; }

    /// <summary>Energy the rest of the run needs, in kWh: from <see cref="Prediction"/> once there is one, else the estimate.</summary>
    public double RemainingKWh
    {
        get
        {
            var left = Math.Clamp(WorkEnd - Progress, 0, 1);
            return (Prediction is { EnergyKwh: > 0 } predicted ? predicted.EnergyKwh : EstimatedKWh) * left;
        }
    }

    /// <summary>
    /// How many planned commands the Scheduler has queued for it: the next planned command's id is made from it (see
    /// DispatchService.PlannedCommandId), and the record saved after a send carries it plus one. A leader that dies
    /// after queuing but before saving leaves it unchanged, so its successor re-deciding that step makes the same id
    /// and the queue, which knows ids, does not send it twice. Records written before it existed read as 0.
    /// </summary>
    public long DispatchSequence { get; init; }

    /// <summary>When the Scheduler last queued a command for it (a stalled run is re-sent a Resume at most once per stall period).</summary>
    public DateTimeOffset? LastCommandAt { get; init; }

    /// <summary>When its worker last wrote progress.</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>
    /// The region its run stalled in with no live worker there: plans leave that region out (while another allowed region
    /// remains) until the run has been resumed somewhere. Null otherwise.
    /// </summary>
    public string? StrandedIn { get; init; }

    /// <summary>Why it failed, as the worker said; or why the Scheduler moved or holds it (a stalled run).</summary>
    public string? Message { get; init; }

    public DateTimeOffset? PlannedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool IsFinished => State is ExperimentState.Completed or ExperimentState.Failed or ExperimentState.Cancelled;
}
