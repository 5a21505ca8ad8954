using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Sweeps.Algorithms;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>What a scheduled trial runner works with: the Scheduler's stores and services, shared by every sweep a replica runs.</summary>
public sealed record TrialServices(ExperimentSubmitter Submitter, ExperimentSegments Segments, ExperimentStore Experiments, SweepStore Sweeps,
    TrialCompletion Completion, DispatchService Dispatch, ExperimentLock Gate, GreenTrainStore Store, TimeProvider Time);

/// <summary>
/// Runs each trial as one experiment through the Scheduler, one segment at a time: the trial's spec (its schedule
/// over the sweep's full resource) is submitted like POST /experiments with a segment limit at its first rung and that
/// rung's deadline, so it is planned, paused, resumed and moved by carbon like any run; its worker stops it at the
/// limit (evaluated and checkpointed) and it waits there. A promotion raises the limit and gives the next rung's
/// deadline, and the Scheduler resumes the same experiment from its checkpoint; the last rung lifts the limit and the
/// run completes (test split scored). Each segment's metric comes from its worker's progress, its energy from the
/// experiment's windows less what the trial's earlier segments were billed. Every step is written to the sweep's record.
/// </summary>
public sealed class ScheduledTrialRunner(string sweepId, SweepSpec spec, DateTimeOffset deadline, TrialServices services) : ITrialRunner
{
    public bool ResumesFromCheckpoint => true;

    // The driver is synchronous and runs on a thread of its own (SweepRunner), so waiting here holds no pool thread.
    public TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken) => RunAsync(segment, cancellationToken).GetAwaiter().GetResult();

    public async Task<TrialOutcome> RunAsync(TrialSegment segment, CancellationToken cancellationToken)
    {
        var due = RungDeadline(spec, deadline, segment.Resource, services.Time.GetUtcNow());
        var values = segment.Values ?? new Dictionary<string, JsonNode?>();
        var limit = LimitOf(segment);
        var earlier = segment.Restart ? [] : await EarlierSegmentsAsync(segment.TrialId);
        var experimentId = earlier.Count > 0 && await services.Segments.ContinueAsync(earlier[^1].ExperimentId, limit, due) is { } continued
            ? continued.Id
            : null;
        if (experimentId is null)
        {
            // The trial's first segment (or its experiment ended without it, e.g. cancelled by hand): a new run from step 0.
            earlier = [];
            experimentId = (await services.Submitter.SubmitAsync(TrialSpec(segment, deadline), segment: limit, segmentDeadline: due)).Id;
        }
        var resumed = earlier.Count > 0;
        var stored = await services.Sweeps.UpdateAsync(sweepId, r => r.WithSegment(segment.TrialId, values,
            new SweepSegmentEntry(segment.Resource, experimentId, due, "queued", resumed)));
        try
        {
            if (stored is null || stored.CancelRequested) throw new OperationCanceledException($"sweep {sweepId} was cancelled");
            var ended = await services.Completion.WaitAsync(experimentId,
                state => Record(segment, values, experimentId, due, resumed, state, null),
                async () => (await services.Sweeps.GetAsync(sweepId))?.CancelRequested != false, cancellationToken);
            var outcome = await OutcomeAsync(ended, earlier);
            await Record(segment, values, experimentId, due, resumed, ended, outcome);
            return outcome;
        }
        catch (OperationCanceledException)
        {
            // Cancelled trials stop at once: the experiment this segment waits on is cancelled before the sweep ends. A
            // replica shutting down (no cancel in the record) leaves it to run as the experiment it is.
            if ((await services.Sweeps.GetAsync(sweepId))?.CancelRequested != false)
            {
                await SweepTrialCancel.CancelAsync(experimentId, services.Experiments, services.Dispatch, services.Gate, services.Time);
            }
            throw;
        }
    }

    /// <summary>Where the segment's run stops: at its resource, or nowhere for the last rung (the run completes).</summary>
    public static SegmentLimit? LimitOf(TrialSegment segment) =>
        segment.IsFinal ? null : new SegmentLimit(segment.Unit == ResourceUnit.Steps ? SegmentUnit.Steps : SegmentUnit.Epochs, segment.Resource);

    /// <summary>
    /// The trial's experiment spec: its configuration over the sweep's full resource (so its learning-rate schedule is the
    /// whole trial's whichever rung it stops at), named after the trial, due by the sweep's deadline.
    /// </summary>
    public static ExperimentSpec TrialSpec(TrialSegment segment, DateTimeOffset sweepDeadline) => segment.Spec with
    {
        Name = segment.TrialId,
        Carbon = segment.Spec.Carbon with { Deadline = sweepDeadline },
    };

    /// <summary>
    /// A segment's deadline: the rungs share the time left to the sweep's deadline, rung k of K+1 due after (k+1)/(K+1) of
    /// it, so the last rung (and grid or random trials, which have one) is due at the sweep's deadline and earlier rungs
    /// leave room for the promotions after them. Successive halving spends about the same on each rung (n/eta^k
    /// configurations at R/eta^(K-k)), hence equal shares.
    /// </summary>
    public static DateTimeOffset RungDeadline(SweepSpec spec, DateTimeOffset sweepDeadline, int resource, DateTimeOffset now)
    {
        if (sweepDeadline <= now) return sweepDeadline;
        var rungs = spec.Algorithm.Kind is AlgorithmKind.Grid or AlgorithmKind.Random ? 0 : RungLadder.MaxRung(spec.Resource.Min, spec.Resource.Max, spec.Algorithm.Eta);
        var k = Enumerable.Range(0, rungs + 1).FirstOrDefault(i => RungLadder.Resource(spec.Resource.Max, spec.Algorithm.Eta, rungs, i) >= resource, rungs);
        return now + (sweepDeadline - now) * ((k + 1) / (double)(rungs + 1));
    }

    /// <summary>The trial's segments so far on its current experiment, oldest first (from the sweep's record, which outlives a replica).</summary>
    private async Task<IReadOnlyList<SweepSegmentEntry>> EarlierSegmentsAsync(string trialId)
    {
        var trial = (await services.Sweeps.GetAsync(sweepId))?.Trials.FirstOrDefault(t => t.TrialId == trialId);
        if (trial is null || trial.Segments.Count == 0) return [];
        var current = trial.Segments[^1].ExperimentId;
        return [.. trial.Segments.Where(s => s.ExperimentId == current)];
    }

    private async Task<TrialOutcome> OutcomeAsync(TrialState ended, IReadOnlyList<SweepSegmentEntry> earlier)
    {
        var id = ended.Record.Id;
        var windows = await services.Store.Database.ListRangeAsync(StoreKeys.EnergyWindows(id));
        var (total, method) = EnergyTotal.Of(windows.Select(w => JsonSerializer.Deserialize<EnergyWindow>((string)w!, EnergyFiles.JsonOptions)!));
        // The experiment's windows cover the whole trial so far: this segment is what its earlier segments were not billed.
        var joules = Math.Max(0, total - earlier.Sum(s => s.Joules ?? 0));
        var step = ended.Progress?.Step ?? 0;
        var trained = step - (earlier.Count > 0 ? earlier[^1].Steps ?? 0 : 0);
        if (ended.Progress?.State != ExperimentRunState.Completed && !ended.IsSegmentDone)
        {
            // Failed or cancelled on its own (not by the sweep): it scores nothing and the search goes on without it.
            var why = ended.Progress?.Message ?? ended.Record.Message;
            return new TrialOutcome(null, null, null, step, trained, joules, method, $"{ended.Describe()}{(why is null ? "" : $": {why}")}");
        }
        // The worker's last metric at a run's or a segment's end is { final: evaluation, test: score or null } (ExperimentRunner.RecordEndAsync).
        var last = ended.Progress!.LastMetricJson is { } json ? JsonNode.Parse(json) : null;
        var final = last?["final"];
        return new TrialOutcome(Number(final?["accuracy"]), Number(final?["loss"]), Number(last?["test"]?["accuracy"]), step, trained, joules, method,
            ended.Progress.Message ?? "completed");
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    private async Task Record(TrialSegment segment, IReadOnlyDictionary<string, JsonNode?> values, string experimentId, DateTimeOffset due, bool resumed,
        TrialState state, TrialOutcome? outcome)
    {
        var metric = outcome is null ? null : spec.Metric.Name == "loss" ? outcome.Loss : outcome.Accuracy;
        var shown = state.IsSegmentDone ? SweepSegmentEntry.SegmentDone : state.Describe();
        var entry = new SweepSegmentEntry(segment.Resource, experimentId, due, shown, resumed, metric, outcome?.TestAccuracy,
            outcome?.Step, outcome?.Joules, outcome?.EnergyMethod, outcome?.StopReason ?? state.Progress?.Message);
        await services.Sweeps.UpdateAsync(sweepId, r => r.WithSegment(segment.TrialId, values, entry) with { UpdatedAt = services.Time.GetUtcNow() });
    }
}
