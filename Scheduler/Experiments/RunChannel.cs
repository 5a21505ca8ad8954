using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// The Scheduler's side of the per-experiment keys it shares with the Trainer workers (docs/store.md,
/// "Experiment control and progress"): the spec a worker reads when it takes a Start or Resume, the control
/// hash that reaches the worker already busy training the experiment (a queued Pause would wait behind the
/// run it is meant to stop), and the progress hash the worker keeps.
/// </summary>
public sealed class RunChannel(SharedExperiments shared, GreenTrainStore store)
{
    /// <summary>Written before every Start or Resume is queued, so whichever worker takes it finds the spec.</summary>
    public Task WriteSpecAsync(ExperimentRecord record) => shared.WriteSpecAsync(record.Id, record.Spec);

    /// <summary>Where the worker is to stop the run (null: at the spec's end), read when it takes a Start or Resume.</summary>
    public Task WriteSegmentLimitAsync(string experimentId, SegmentLimit? limit) => shared.WriteSegmentLimitAsync(experimentId, limit);

    /// <summary>Sets the desired state (newer command wins) and wakes the worker training the experiment.</summary>
    public Task RequestAsync(TrainerCommand command)
    {
        var desired = command.Kind switch
        {
            TrainerCommandKind.Pause => DesiredRunState.Pause,
            TrainerCommandKind.Cancel => DesiredRunState.Cancel,
            _ => DesiredRunState.Run,
        };
        return shared.RequestAsync(command.ExperimentId, desired, command.IssuedAt, command.CommandId);
    }

    /// <summary>Whether a worker holds the experiment's owner claim (it lapses a lease period after its worker dies).</summary>
    public Task<bool> HasOwnerAsync(string experimentId) => store.Database.KeyExistsAsync(StoreKeys.ExperimentOwner(experimentId));

    public Task<ExperimentProgress?> ReadProgressAsync(string experimentId) => shared.ReadProgressAsync(experimentId);

    /// <summary>Telemetry's prediction of the run's totals from its measured energy, null until it has one.</summary>
    public async Task<RunPrediction?> ReadPredictionAsync(string experimentId) =>
        RunPrediction.TryParse(await store.Database.StringGetAsync(StoreKeys.EnergyPrediction(experimentId)));
}
