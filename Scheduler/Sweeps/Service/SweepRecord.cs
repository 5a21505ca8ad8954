using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>Where a sweep submitted to POST /sweeps is in its life.</summary>
public enum SweepState
{
    /// <summary>Accepted, not yet taken by a replica's sweep runner.</summary>
    Queued,

    /// <summary>A replica's runner is submitting its trials as experiments and waiting on them.</summary>
    Running,

    /// <summary>The algorithm finished or a budget was spent: <see cref="SweepRecord.StopReason"/> says which.</summary>
    Completed,

    /// <summary>The runner could not go on (a store error, a trial spec the Scheduler refused): the message says why.</summary>
    Failed,

    Cancelled,
}

/// <summary>One segment of a trial as the service ran it: the experiment that trained it and what it measured (null until it ended).</summary>
/// <param name="Resource">Steps (or epochs) the segment trains the trial to.</param>
/// <param name="Deadline">The experiment's deadline: at or before the sweep's, earlier for earlier rungs.</param>
/// <param name="State">The experiment's state as last seen (queued, running, paused, segment done, completed, failed, cancelled).</param>
/// <param name="Resumed">Whether it continued the trial's experiment from the checkpoint of its earlier segment (false: trained from step 0).</param>
/// <param name="Steps">The step the trial's run reached at the segment's end.</param>
public sealed record SweepSegmentEntry(int Resource, string ExperimentId, DateTimeOffset Deadline, string State, bool Resumed,
    double? Metric = null, double? TestAccuracy = null, long? Steps = null, double? Joules = null, string? EnergyMethod = null, string? Message = null)
{
    /// <summary>The <see cref="State"/> of a segment whose run stopped at its limit and waits there for a promotion.</summary>
    public const string SegmentDone = "segment done";
}

/// <summary>One configuration of the sweep: its values by JSON path and its segments, oldest first.</summary>
public sealed record SweepTrialEntry(string TrialId, IReadOnlyDictionary<string, JsonNode?> Values, IReadOnlyList<SweepSegmentEntry> Segments);

/// <summary>
/// Everything the Scheduler keeps about one sweep, as JSON in the sweeps hash: the sweep as posted (re-parsed by the
/// runner, so the record never holds a second form of the spec), its resolved deadline, its state and its trials.
/// </summary>
public sealed record SweepRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The request body of POST /sweeps, valid when stored.</summary>
    public required string SpecJson { get; init; }

    /// <summary>The metric the trials are ranked by, for the view's best-so-far.</summary>
    public required SweepMetric Metric { get; init; }

    /// <summary>Every trial's deadline lies at or before it: the sweep's own, or now plus Sweeps:DefaultHorizonHours.</summary>
    public required DateTimeOffset Deadline { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public SweepState State { get; init; } = SweepState.Queued;

    /// <summary>The replica whose runner took it (Scheduler leadership's replica name); null while queued.</summary>
    public string? Runner { get; init; }

    /// <summary>Set by POST /sweeps/{id}/cancel: the runner stops submitting and its trials' experiments are cancelled.</summary>
    public bool CancelRequested { get; init; }

    public string? StopReason { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<SweepTrialEntry> Trials { get; init; } = [];

    /// <summary>The sweep report (docs/sweeps.md) once it ended: Pareto frontier, footprint, grid estimate.</summary>
    public JsonNode? Report { get; init; }

    public bool IsFinished => State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled;

    /// <summary>The record with <paramref name="segment"/> added to its trial, or replacing the one of the same experiment and resource.</summary>
    public SweepRecord WithSegment(string trialId, IReadOnlyDictionary<string, JsonNode?> values, SweepSegmentEntry segment)
    {
        var trials = Trials.ToList();
        var at = trials.FindIndex(t => t.TrialId == trialId);
        var trial = at >= 0 ? trials[at] : new SweepTrialEntry(trialId, values, []);
        var segments = trial.Segments.Where(s => s.ExperimentId != segment.ExperimentId || s.Resource != segment.Resource).Append(segment).ToList();
        trial = trial with { Segments = segments };
        if (at >= 0) trials[at] = trial; else trials.Add(trial);
        return this with { Trials = trials };
    }
}
