using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Training;

/// <summary>
/// A run's meter as work outside the training loop sees it (the dedup stage opens and closes its own windows on
/// it), with what its windows of each phase have summed to; the CLI's run folder and the worker's store recorder both are one.
/// </summary>
public interface IPhaseEnergy
{
    EnergyMeter Meter { get; }

    /// <summary>Joules published so far in windows of <paramref name="phase"/>, and the weakest method among them (null before any).</summary>
    (double Joules, EnergyMethod? Method) Total(EnergyPhase phase);
}

/// <summary>Sums published windows per phase (every device), keeping the weakest method seen; thread-safe.</summary>
public sealed class PhaseTotals
{
    private readonly Dictionary<EnergyPhase, (double Joules, EnergyMethod? Method)> _totals = [];

    public void Add(EnergyWindow window)
    {
        lock (_totals)
        {
            var (joules, method) = _totals.GetValueOrDefault(window.Phase);
            foreach (var device in window.Devices)
            {
                joules += device.Joules;
                method = method is { } m && m > device.Method ? m : device.Method;
            }

            _totals[window.Phase] = (joules, method);
        }
    }

    public (double Joules, EnergyMethod? Method) Total(EnergyPhase phase)
    {
        lock (_totals) return _totals.TryGetValue(phase, out var total) ? total : (0, null);
    }
}
