using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>
/// Reads GPU 0's cumulative energy counter (millijoules since the driver loaded) through NVML,
/// nvmlDeviceGetTotalEnergyConsumption (Volta and later). Read-only: never changes a device setting.
/// Until the Telemetry meter exists this is the benchmark's direct read; absent NVML gives null.
/// </summary>
public sealed class NvmlEnergy : IDisposable
{
    private const string Library = "libnvidia-ml.so.1";
    private readonly IntPtr _device;

    private NvmlEnergy(IntPtr device) => _device = device;

    /// <summary>The meter, or null with the reason when NVML or its energy counter is not available.</summary>
    public static NvmlEnergy? TryOpen(out string? reason)
    {
        try
        {
            if (nvmlInit_v2() is var init and not 0) { reason = $"nvmlInit_v2 returned {init}"; return null; }
            if (nvmlDeviceGetHandleByIndex_v2(0, out var device) is var handle and not 0) { reason = $"nvmlDeviceGetHandleByIndex_v2 returned {handle}"; return null; }
            if (nvmlDeviceGetTotalEnergyConsumption(device, out _) is var energy and not 0) { reason = $"nvmlDeviceGetTotalEnergyConsumption returned {energy}"; return null; }
            reason = null;
            return new NvmlEnergy(device);
        }
        catch (DllNotFoundException)
        {
            reason = $"{Library} not found (no NVIDIA driver)";
            return null;
        }
    }

    public double ReadJoules()
    {
        var status = nvmlDeviceGetTotalEnergyConsumption(_device, out var millijoules);
        return status == 0 ? millijoules / 1000.0 : throw new InvalidOperationException($"nvmlDeviceGetTotalEnergyConsumption returned {status}");
    }

    public void Dispose() => nvmlShutdown();

    [DllImport(Library)] private static extern int nvmlInit_v2();

    [DllImport(Library)] private static extern int nvmlShutdown();

    [DllImport(Library)] private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [DllImport(Library)] private static extern int nvmlDeviceGetTotalEnergyConsumption(IntPtr device, out ulong energy);
}
