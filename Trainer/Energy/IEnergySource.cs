using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy;

/// <summary>
/// One measured device. A source keeps a running total of joules since it was created, so a window is the
/// difference of two readings and no energy between windows is lost or counted twice.
/// </summary>
public interface IEnergySource : IDisposable
{
    /// <summary>Stable id within the machine, for example "gpu:0" or "cpu:package-0".</summary>
    string Device { get; }

    DeviceKind Kind { get; }

    /// <summary>Counter, integrated or estimate: fixed when the source is created.</summary>
    EnergyMethod Method { get; }

    /// <summary>A human name for reports ("NVIDIA H100 80GB HBM3"); null when the device does not say.</summary>
    string? Model { get; }

    /// <summary>
    /// True when <see cref="Read"/> takes milliseconds (an NVML call): the meter then reads the source on a background
    /// reader of its own, right after each boundary, so the training thread does not wait for it. Cheap sources (RAPL
    /// files, estimates' running totals) say false and are read on the training thread at the boundary itself.
    /// </summary>
    bool ReadsSlowly => false;

    /// <summary>Reads the device now. Called at window boundaries only, from one thread at a time, in boundary order.</summary>
    EnergyReading Read();
}

/// <param name="TotalJoules">Energy since the source was created (J), never decreasing.</param>
/// <param name="UtilizationPercent">Utilisation since the previous reading (or the device's latest sample), 0-100.</param>
/// <param name="MemoryUsedBytes">Device memory in use now, when the device reports it.</param>
public readonly record struct EnergyReading(double TotalJoules, double? UtilizationPercent = null, long? MemoryUsedBytes = null);
