using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>
/// Linear extrapolation from the billed windows so far, as carbontracker predicts after its first epoch:
/// energy and active time per step stay as measured, and the remaining energy is priced at the run's mean
/// intensity so far (a forecast would price it better; the Scheduler owns forecasts).
/// </summary>
public static class EnergyPredictor
{
    /// <param name="shareBeforePrediction">Share of the steps to wait for when the epoch length is unknown (0-1).</param>
    public static RunPrediction? Predict(AccountingResult so, EnergyRunInfo? run, double shareBeforePrediction = 0.1)
    {
        if (run?.TotalSteps is not { } total || total <= 0)
        {
            return null;
        }
        var done = so.Windows.Where(w => w.Billed && w.Window.Phase == EnergyPhase.Train).Select(w => w.Window.StepEnd).DefaultIfEmpty(0).Max();
        var wait = run.StepsPerEpoch is { } epoch and > 0 ? Math.Min(epoch, total) : (long)Math.Ceiling(total * shareBeforePrediction);
        if (done < Math.Max(wait, 1))
        {
            return null;
        }
        var scale = (double)total / Math.Min(done, total);
        var energy = so.EnergyKwh * scale;
        var seconds = so.ActiveSeconds * scale;
        var emissions = so.EmissionsGrams + (energy - so.EnergyKwh) * so.Settings.Pue * so.MeanIntensity;
        var basis = run.StepsPerEpoch is > 0
            ? $"linear from the first {done} of {total} steps (first epoch done)"
            : $"linear from the first {done} of {total} steps ({shareBeforePrediction:P0} share reached)";
        return new RunPrediction(done, total, energy, seconds, emissions, energy - so.EnergyKwh, seconds - so.ActiveSeconds, basis);
    }
}
