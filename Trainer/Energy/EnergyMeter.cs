using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy;

/// <summary>
/// Cuts a run's energy into windows at step boundaries. Like Zeus, the caller synchronises its devices
/// (for CUDA, torch.cuda.synchronize()) before <see cref="Close"/> or <see cref="Switch"/>: queued kernels
/// would otherwise be billed to the next window. The training loop owns the meter; it is not thread-safe.
/// </summary>
/// <example>
/// meter.Open(EnergyPhase.Train, step);
/// ... train N steps, synchronise the device ...
/// sink.Append(meter.Switch(EnergyPhase.Evaluate, step));
/// ... evaluate, synchronise ...
/// sink.Append(meter.Close(step));
/// </example>
public sealed class EnergyMeter(string experimentId, string runId, IReadOnlyList<IEnergySource> sources, TimeProvider? time = null)
    : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private OpenWindow? _open;
    private long _sequence;

    public IReadOnlyList<IEnergySource> Sources { get; } = sources;

    public bool IsOpen => _open is not null;

    /// <summary>The phase of the open window, or null when none is open.</summary>
    public EnergyPhase? Phase => _open?.Phase;

    /// <summary>Starts a window: reads every source now as the window's baseline.</summary>
    public void Open(EnergyPhase phase, long step)
    {
        if (_open is not null)
        {
            throw new InvalidOperationException($"An energy window ({_open.Phase}, from step {_open.Step}) is already open: close or switch it first.");
        }
        _open = new OpenWindow(phase, step, _time.GetUtcNow(), ReadAll());
    }

    /// <summary>Ends the open window at this step and returns its energy per device.</summary>
    public EnergyWindow Close(long step)
    {
        var open = _open ?? throw new InvalidOperationException("No energy window is open: call Open first.");
        var readings = ReadAll();
        var end = _time.GetUtcNow();
        _open = null;
        return Build(open, readings, end, step);
    }

    /// <summary>Closes the open window and opens the next one from the same readings, so nothing falls between them.</summary>
    public EnergyWindow Switch(EnergyPhase next, long step)
    {
        var open = _open ?? throw new InvalidOperationException("No energy window is open: call Open first.");
        var readings = ReadAll();
        var now = _time.GetUtcNow();
        _open = new OpenWindow(next, step, now, readings);
        return Build(open, readings, now, step);
    }

    private EnergyReading[] ReadAll()
    {
        var readings = new EnergyReading[Sources.Count];
        for (var i = 0; i < readings.Length; i++)
        {
            readings[i] = Sources[i].Read();
        }
        return readings;
    }

    private EnergyWindow Build(OpenWindow open, EnergyReading[] readings, DateTimeOffset end, long step)
    {
        var seconds = Math.Max((end - open.Start).TotalSeconds, 0);
        var devices = new DeviceEnergy[Sources.Count];
        for (var i = 0; i < devices.Length; i++)
        {
            var source = Sources[i];
            // A source never runs backwards, but a clamp keeps a faulty one from producing negative energy.
            var joules = Math.Max(readings[i].TotalJoules - open.Baseline[i].TotalJoules, 0);
            devices[i] = new DeviceEnergy(source.Device, source.Kind, source.Method, joules,
                seconds > 0 ? joules / seconds : 0, readings[i].UtilizationPercent, readings[i].MemoryUsedBytes);
        }
        return new EnergyWindow(experimentId, runId, _sequence++, open.Start, end, open.Phase, open.Step, step, devices);
    }

    public void Dispose()
    {
        foreach (var source in Sources)
        {
            source.Dispose();
        }
    }

    private sealed record OpenWindow(EnergyPhase Phase, long Step, DateTimeOffset Start, EnergyReading[] Baseline);
}
