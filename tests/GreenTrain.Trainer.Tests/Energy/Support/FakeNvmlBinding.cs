using System.Collections.Concurrent;
using GreenTrain.Trainer.Energy.Nvml;

namespace GreenTrain.Trainer.Tests.Energy.Support;

/// <summary>
/// NVML stand-in for a machine without a GPU. Values follow what a real H100 reports (a counter in the
/// billions of mJ since the driver loaded, ~70 W idle); the test moves them.
/// </summary>
public sealed class FakeNvmlBinding(int devices = 1, bool hasEnergyCounter = true) : INvmlBinding
{
    public ulong[] EnergyMillijoules { get; } = Enumerable.Repeat(5_123_456_789UL, devices).ToArray();

    public uint[] PowerMilliwatts { get; } = Enumerable.Repeat(70_000u, devices).ToArray();

    public uint UtilizationPercent { get; set; } = 97;

    public bool Disposed { get; private set; }

    /// <summary>While true, power reads fail as NVML does when the driver is busy or the GPU is lost.</summary>
    public bool FailPowerReads { get; set; }

    /// <summary>How often each NVML query was made, by function name, so a test can see which thread made which call.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public int CallsOf(string function) => Calls.GetValueOrDefault(function);

    private void Count(string function) => Calls.AddOrUpdate(function, 1, (_, n) => n + 1);

    public int DeviceCount => devices;

    public string GetName(int index) => "NVIDIA H100 80GB HBM3";

    /// <summary>
    /// When set, an energy read takes the counter's value, releases <see cref="EnergyReadStarted"/>, then waits on this
    /// gate before it returns: the test decides how long the call "takes", as a real one takes ~3 ms on an H200.
    /// </summary>
    public SemaphoreSlim? EnergyReadGate { get; set; }

    /// <summary>Released once each time a gated energy read has taken its value and starts to wait on the gate.</summary>
    public SemaphoreSlim EnergyReadStarted { get; } = new(0);

    /// <summary>While true, energy reads fail as NVML does when the GPU is lost.</summary>
    public bool FailEnergyReads { get; set; }

    public ulong GetTotalEnergyMillijoules(int index)
    {
        Count("nvmlDeviceGetTotalEnergyConsumption");
        if (!hasEnergyCounter)
        {
            throw new NvmlException("nvmlDeviceGetTotalEnergyConsumption", NvmlReturn.NotSupported);
        }
        if (FailEnergyReads)
        {
            throw new NvmlException("nvmlDeviceGetTotalEnergyConsumption", NvmlReturn.GpuIsLost);
        }
        var value = Volatile.Read(ref EnergyMillijoules[index]); // the test thread moves the counter while a reader reads it
        if (EnergyReadGate is { } gate)
        {
            EnergyReadStarted.Release();
            if (!gate.Wait(TimeSpan.FromSeconds(30)))
            {
                // A test that never opens the gate (or a meter that reads on the wrong thread) fails instead of hanging.
                throw new TimeoutException("The test never let this NVML energy read finish.");
            }
        }
        return value;
    }

    public uint GetPowerMilliwatts(int index)
    {
        Count("nvmlDeviceGetPowerUsage");
        return FailPowerReads ? throw new NvmlException("nvmlDeviceGetPowerUsage", NvmlReturn.GpuIsLost) : PowerMilliwatts[index];
    }

    public NvmlUtilization GetUtilization(int index)
    {
        Count("nvmlDeviceGetUtilizationRates");
        return new(UtilizationPercent, 40);
    }

    public NvmlMemory GetMemory(int index)
    {
        Count("nvmlDeviceGetMemoryInfo");
        return new(80UL << 30, 60UL << 30, 20UL << 30);
    }

    public void Dispose() => Disposed = true;
}
