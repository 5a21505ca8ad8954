using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>
/// Keeps each running experiment's prediction in the store (greentrain:energy:{id}:prediction) as its energy
/// windows arrive, so the Scheduler plans what remains with measured energy and time instead of the
/// submitter's guess. Nothing is written before the prediction's basis is reached (the first epoch, or the
/// configured share of the steps).
/// </summary>
public sealed class PredictionPublisher(GreenTrainStore store, ExperimentReports reports)
{
    // Long enough to outlive any pause; a finished run's prediction is simply never read again.
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    /// <summary>Recomputes and stores the experiment's prediction; null while there is none yet.</summary>
    public async Task<RunPrediction?> PublishAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var built = await reports.BuildAsync(experimentId, cancellationToken);
        if (built?.Report.Prediction is not { } prediction)
        {
            return null;
        }
        await store.Database.StringSetAsync(StoreKeys.EnergyPrediction(experimentId), RunPrediction.Serialize(prediction), KeepFor);
        return prediction;
    }
}
