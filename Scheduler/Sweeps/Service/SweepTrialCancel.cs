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

    /// <summary>Cancels one trial's experiment unless it already ended (then nothing happens).</summary>
    public static async Task CancelAsync(string experimentId, ExperimentStore experiments, DispatchService dispatch, ExperimentLock gate, TimeProvider time)
    {
        if (await experiments.GetAsync(experimentId) is { IsFinished: false })
        {
            await ExperimentsApi.CancelAsync(experimentId, experiments, dispatch, gate, time);
        }
    }
}
