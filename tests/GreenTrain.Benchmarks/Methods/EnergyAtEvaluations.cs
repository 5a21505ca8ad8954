using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>
/// Measures a run's energy with this machine's best sources (NVML on a GPU; RAPL, else the labelled CPU
/// estimate) in windows that close at every evaluation, so the energy up to any evaluation, and so up to
/// the one that first reached a target, is a sum of whole windows. It only watches.
/// </summary>
public sealed class EnergyAtEvaluations(EnergyMeterFactory factory, string runName) : ITrainingObserver, IDisposable
{
    private readonly List<EnergyWindow> _windows = [];
    private EnergyMeter? _meter;

    /// <summary>How each device's joules were obtained, e.g. "cpu: estimate".</summary>
    public string Methods => string.Join(", ", _windows.SelectMany(w => w.Devices).Select(d => $"{d.Device}: {d.Method}").Distinct());

    public double TotalJoules { get { lock (_windows) return _windows.Sum(Joules); } }

    /// <summary>Joules from the start of training to the end of the evaluation at <paramref name="step"/>.</summary>
    public double JoulesTo(long step)
    {
        lock (_windows) return _windows.Where(w => w.StepEnd <= step).Sum(Joules);
    }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                _meter = factory.CreateMeter(runName, Guid.NewGuid().ToString("N"), w => { lock (_windows) _windows.Add(w); });
                DeviceSync.Synchronize(state.Device);
                _meter.Open(EnergyPhase.Train, state.Step);
                break;
            case TrainingEvent.EvaluationEnd when _meter is { IsOpen: true }:
                DeviceSync.Synchronize(state.Device);
                _meter.Switch(EnergyPhase.Train, state.Step);
                break;
            case TrainingEvent.FitEnd when _meter is { IsOpen: true }:
                DeviceSync.Synchronize(state.Device);
                _meter.Close(state.Step);
                break;
        }
    }

    private static double Joules(EnergyWindow window) => window.Devices.Sum(d => d.Joules);

    public void Dispose() => _meter?.Dispose();
}
