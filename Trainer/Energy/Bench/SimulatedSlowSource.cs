using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// A stand-in GPU for machines without one (`overhead --simulate-gpu-read-ms N`): each read blocks for N ms, as
/// NVML's energy call does on an H200 (~3.2 ms median), and reports a constant 300 W. It lets the background-read
/// path be timed anywhere; its joules are made up, so it is labelled an estimate and named "gpu:simulated".
/// </summary>
public sealed class SimulatedSlowSource(double readMilliseconds) : IEnergySource
{
    private const double Watts = 300;
    private readonly long _start = Stopwatch.GetTimestamp();

    public string Device => "gpu:simulated";

    public DeviceKind Kind => DeviceKind.Gpu;

    public EnergyMethod Method => EnergyMethod.Estimate;

    public string? Model => $"simulated GPU, {readMilliseconds} ms per read";

    public bool ReadsSlowly => true;

    public EnergyReading Read()
    {
        Thread.Sleep(TimeSpan.FromMilliseconds(readMilliseconds)); // the blocking call being simulated
        return new EnergyReading(Stopwatch.GetElapsedTime(_start).TotalSeconds * Watts);
    }

    public void Dispose()
    {
    }
}
