using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>
/// Measures a run's energy with this machine's best sources (NVML on a GPU; RAPL, else the labelled CPU
/// estimate) in windows that close at every evaluation, so the energy up to any evaluation, and so up to
/// the one that first reached a target, is a sum of whole windows. Beside it, the process's CPU seconds at each
/// evaluation: on a shared machine the CPU estimate counts the whole machine (others' work too), CPU seconds do not.
/// It only watches.
/// </summary>
public sealed class EnergyAtEvaluations(EnergyMeterFactory factory, string runName) : ITrainingObserver, IDisposable
{
    private readonly List<EnergyWindow> _windows = [];
    private readonly Dictionary<long, double> _cpuSeconds = [];
    private EnergyMeter? _meter;
    private TimeSpan _cpuStart;

    /// <summary>How each device's joules were obtained, e.g. "cpu: estimate".</summary>
    public string Methods => string.Join(", ", _windows.SelectMany(w => w.Devices).Select(d => $"{d.Device}: {d.Method}").Distinct());

    public double TotalJoules { get { lock (_windows) return _windows.Sum(Joules); } }

    /// <summary>The GPUs' joules alone (NVML on CUDA; 0 on a CPU run): the model's work, without the host estimates beside it.</summary>
    public double TotalGpuJoules { get { lock (_windows) return _windows.SelectMany(w => w.Devices).Where(d => d.Kind == DeviceKind.Gpu).Sum(d => d.Joules); } }

    /// <summary>Joules from the start of training to the end of the evaluation at <paramref name="step"/>.</summary>
    public double JoulesTo(long step)
    {
        lock (_windows) return _windows.Where(w => w.StepEnd <= step).Sum(Joules);
    }

    public double TotalCpuSeconds => _cpuSeconds.Count == 0 ? 0 : _cpuSeconds.MaxBy(c => c.Key).Value;

    /// <summary>This process's CPU seconds from the start of training to the end of the evaluation at <paramref name="step"/>.</summary>
    public double CpuSecondsTo(long step) => _cpuSeconds.TryGetValue(step, out var seconds) ? seconds : TotalCpuSeconds;

    private double CpuSeconds => (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                _meter = factory.CreateMeter(runName, Guid.NewGuid().ToString("N"), w => { lock (_windows) _windows.Add(w); });
                DeviceSync.Synchronize(state.Device);
                _meter.Open(EnergyPhase.Train, state.Step);
                _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                break;
            case TrainingEvent.EvaluationEnd when _meter is { IsOpen: true }:
                DeviceSync.Synchronize(state.Device);
                _meter.Switch(EnergyPhase.Train, state.Step);
                _cpuSeconds[state.Step] = CpuSeconds;
                break;
            case TrainingEvent.FitEnd when _meter is { IsOpen: true }:
                DeviceSync.Synchronize(state.Device);
                _meter.Close(state.Step);
                _cpuSeconds[state.Step] = CpuSeconds;
                break;
        }
    }

    private static double Joules(EnergyWindow window) => window.Devices.Sum(d => d.Joules);

    public void Dispose() => _meter?.Dispose();
}
