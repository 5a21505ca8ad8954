using GreenTrain.Scheduler.Apis;
using GreenTrain.Scheduler.Experiments;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>Cancels a sweep's trials that have not ended, through the experiments API's own cancel (a Cancel command to the worker, the record cancelled).</summary>
public static class SweepTrialCancel
{
    public static async Task CancelUnfinishedAsync(SweepRecord sweep, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time)
    {
        foreach (var segment in sweep.Trials.SelectMany(t => t.Segments))
        {
            await CancelAsync(segment.ExperimentId, experiments, dispatch, gate, time);
        }
    }

    /// <summary>
    /// Ends the experiments of the trials a finished search did not promote: each waits at its last rung's limit. A
    /// promoted trial's last segment ran to its end, so its experiment is left alone even before the Scheduler's record
    /// has taken in the worker's completion.
    /// </summary>
    public static async Task EndUnpromotedAsync(SweepRecord sweep, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time)
    {
        foreach (var last in sweep.Trials.Where(t => t.Segments.Count > 0).Select(t => t.Segments[^1]).Where(s => s.State == SweepSegmentEntry.SegmentDone))
        {
            await CancelAsync(last.ExperimentId, experiments, dispatch, gate, time);
        }
    }

    /// <summary>Cancels one trial's experiment unless it already ended (then nothing happens).</summary>
    public static async Task CancelAsync(string experimentId, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time)
    {
        if (await experiments.GetAsync(experimentId) is { IsFinished: false })
        {
            await ExperimentsApi.CancelAsync(experimentId, experiments, dispatch, gate, time);
        }
    }
}
