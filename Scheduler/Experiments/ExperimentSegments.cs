using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Continues an experiment that waits at its segment limit (a sweep promoting a trial): the new limit goes to the store
/// for the worker first, then to the record with the segment's deadline, and the leader replans, so the plan resumes
/// the same run from its checkpoint like any paused experiment. A null limit lets it train to the spec's end.
/// </summary>
public sealed class ExperimentSegments(ExperimentStore experiments, RunChannel runs, ExperimentLock gate, Leadership.ReplanRequests replans, TimeProvider time)
{
    /// <returns>The record as saved, or null when the experiment is gone or has ended (nothing to continue).</returns>
    public async Task<ExperimentRecord?> ContinueAsync(string experimentId, SegmentLimit? limit, DateTimeOffset deadline)
    {
        var saved = await gate.RunAsync(async () =>
        {
            if (await experiments.GetAsync(experimentId) is not { IsFinished: false } record) return null;
            // The worker reads the limit when it takes the Resume, which the plan sends only after the record below is saved.
            await runs.WriteSegmentLimitAsync(experimentId, limit);
            var continued = record with { Segment = limit, SegmentDeadline = deadline, UpdatedAt = time.GetUtcNow() };
            await experiments.SaveAsync(continued);
            return continued;
        });
        await replans.RequestAsync();
        return saved;
    }
}
