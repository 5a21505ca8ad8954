using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Sweeps.Algorithms;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>What a scheduled trial runner works with: the Scheduler's stores and services, shared by every sweep a replica runs.</summary>
public sealed record TrialServices(ExperimentSubmitter Submitter, ExperimentStore Experiments, SweepStore Sweeps, TrialCompletion Completion,
    DispatchService Dispatch, ExperimentLock Gate, GreenTrainStore Store, TimeProvider Time);

/// <summary>
/// Runs each trial segment as an experiment through the Scheduler: the trial's spec trained for the segment's resource,
/// with a deadline inside the sweep's, submitted like POST /experiments (so it is planned, paused, resumed and moved by
/// carbon like any run); waits for it to end; reads its metric from its worker's progress and its energy from its
/// windows. Every step is written to the sweep's record.
/// <para>
/// A promoted trial is a new experiment trained from step 0 (<see cref="ResumesFromCheckpoint"/> is false): the workers
/// cannot stop a run at a step and continue it later (docs/sweeps.md, "Promotion through the Scheduler").
/// </para>
/// </summary>
public sealed class ScheduledTrialRunner(string sweepId, SweepSpec spec, DateTimeOffset deadline, TrialServices services) : ITrialRunner
{
    public bool ResumesFromCheckpoint => false;

    // The driver is synchronous and runs on a thread of its own (SweepRunner), so waiting here holds no pool thread.
    public TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken) => RunAsync(segment, cancellationToken).GetAwaiter().GetResult();

    public async Task<TrialOutcome> RunAsync(TrialSegment segment, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var due = RungDeadline(spec, deadline, segment.Resource, now);
        var trialSpec = SegmentSpec(segment, due);
        var values = segment.Values ?? new Dictionary<string, JsonNode?>();
        var record = await services.Submitter.SubmitAsync(trialSpec);
        var stored = await services.Sweeps.UpdateAsync(sweepId, r => r.WithSegment(segment.TrialId, values,
            new SweepSegmentEntry(segment.Resource, record.Id, due, "queued", Resumed: false)));
        try
        {
            if (stored is null || stored.CancelRequested) throw new OperationCanceledException($"sweep {sweepId} was cancelled");
            var ended = await services.Completion.WaitAsync(record.Id,
                state => Record(segment, values, record.Id, due, state, null),
                async () => (await services.Sweeps.GetAsync(sweepId))?.CancelRequested != false, cancellationToken);
            var outcome = await OutcomeAsync(ended);
            await Record(segment, values, record.Id, due, ended, outcome);
            return outcome;
        }
        catch (OperationCanceledException)
        {
            // Cancelled trials stop at once: the experiment this segment waits on is cancelled before the sweep ends. A
            // replica shutting down (no cancel in the record) leaves it to run as the experiment it is.
            if ((await services.Sweeps.GetAsync(sweepId))?.CancelRequested != false)
            {
                await SweepTrialCancel.CancelAsync(record.Id, services.Experiments, services.Dispatch, services.Gate, services.Time);
            }
            throw;
        }
    }

    /// <summary>
    /// The trial's spec trained to <paramref name="segment"/>'s resource (steps or epochs: the experiment's whole length, so
    /// its schedule ends there) and due by <paramref name="due"/>.
    /// </summary>
    public static ExperimentSpec SegmentSpec(TrialSegment segment, DateTimeOffset due) => segment.Spec with
    {
        Name = $"{segment.TrialId}-r{segment.Resource}",
        Training = segment.Spec.Training with
        {
            Steps = segment.Unit == ResourceUnit.Steps ? segment.Resource : null,
            Epochs = segment.Unit == ResourceUnit.Epochs ? segment.Resource : null,
        },
        Carbon = segment.Spec.Carbon with { Deadline = due },
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

    private async Task<TrialOutcome> OutcomeAsync(TrialState ended)
    {
        var id = ended.Record.Id;
        var windows = await services.Store.Database.ListRangeAsync(StoreKeys.EnergyWindows(id));
        var (joules, method) = EnergyTotal.Of(windows.Select(w => JsonSerializer.Deserialize<EnergyWindow>((string)w!, EnergyFiles.JsonOptions)!));
        var step = ended.Progress?.Step ?? 0;
        if (ended.Progress?.State != ExperimentRunState.Completed)
        {
            // Failed or cancelled on its own (not by the sweep): it scores nothing and the search goes on without it.
            var why = ended.Progress?.Message ?? ended.Record.Message;
            return new TrialOutcome(null, null, null, step, step, joules, method, $"{ended.Describe()}{(why is null ? "" : $": {why}")}");
        }
        // The worker's last metric on completion is { final: evaluation, test: score } (ExperimentRunner.RecordEndAsync).
        var last = ended.Progress.LastMetricJson is { } json ? JsonNode.Parse(json) : null;
        var final = last?["final"];
        return new TrialOutcome(Number(final?["accuracy"]), Number(final?["loss"]), Number(last?["test"]?["accuracy"]), step, step, joules, method,
            ended.Progress.Message ?? "completed");
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    private async Task Record(TrialSegment segment, IReadOnlyDictionary<string, JsonNode?> values, string experimentId, DateTimeOffset due,
        TrialState state, TrialOutcome? outcome)
    {
        var metric = outcome is null ? null : spec.Metric.Name == "loss" ? outcome.Loss : outcome.Accuracy;
        var entry = new SweepSegmentEntry(segment.Resource, experimentId, due, state.Describe(), Resumed: false, metric, outcome?.TestAccuracy,
            outcome?.Step, outcome?.Joules, outcome?.EnergyMethod, outcome?.StopReason ?? state.Progress?.Message);
        await services.Sweeps.UpdateAsync(sweepId, r => r.WithSegment(segment.TrialId, values, entry) with { UpdatedAt = services.Time.GetUtcNow() });
    }
}
