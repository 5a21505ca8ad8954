using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Stores a validated spec as a queued experiment and asks the leader to plan it: what POST /experiments does after its
/// checks, and what a sweep does for each trial, so a trial is planned, paused, resumed and moved like any run.
/// </summary>
public sealed class ExperimentSubmitter(ExperimentStore experiments, RunChannel runs, Leadership.ReplanRequests replans, IOptions<SchedulerOptions> options,
    CarbonOptions carbon, TimeProvider time)
{
    /// <param name="estimatedHours">Run time the submitter expects for the whole spec, hours; null: Scheduler:DefaultHours (grid time).</param>
    /// <param name="estimatedKWh">Energy the submitter expects for the whole spec, kWh; null: Scheduler:DefaultKWh.</param>
    /// <param name="segment">Where the worker stops it first (a sweep's first rung), due by <paramref name="segmentDeadline"/>; null: the whole spec.</param>
    public async Task<ExperimentRecord> SubmitAsync(ExperimentSpec spec, double? estimatedHours = null, double? estimatedKWh = null,
        SegmentLimit? segment = null, DateTimeOffset? segmentDeadline = null)
    {
        var now = time.GetUtcNow();
        var record = new ExperimentRecord
        {
            Id = $"exp-{Guid.NewGuid():N}"[..16],
            Spec = spec,
            SubmittedAt = now,
            UpdatedAt = now,
            // The default is grid time: under trace replay an hour of the grid passes in minutes, and so must the guess.
            EstimatedHours = estimatedHours ?? carbon.WallTime(TimeSpan.FromHours(options.Value.DefaultHours)).TotalHours,
            EstimatedKWh = estimatedKWh ?? options.Value.DefaultKWh,
            Segment = segment,
            SegmentDeadline = segment is null ? null : segmentDeadline,
        };
        if (segment is not null) await runs.WriteSegmentLimitAsync(record.Id, segment); // before any Start can be planned
        await experiments.SaveAsync(record);
        await replans.RequestAsync(); // any replica takes the submit; the leader plans it
        return record;
    }
}
