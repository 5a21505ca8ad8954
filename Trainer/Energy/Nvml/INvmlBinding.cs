namespace GreenTrain.Trainer.Energy.Nvml;

/// <summary>
/// The read-only part of NVML that the meter needs, per GPU index. Production uses
/// <see cref="NvmlNativeBinding"/>; tests use a fake, since this machine has no GPU. On purpose there is no
/// way to set power limits, clocks or any other device setting: the GPU machines are shared.
/// </summary>
public interface INvmlBinding : IDisposable
{
    int DeviceCount { get; }

    string GetName(int index);

    /// <summary>nvmlDeviceGetTotalEnergyConsumption: millijoules since the driver loaded (Volta and later).</summary>
    /// <exception cref="NvmlException">With <see cref="NvmlReturn.NotSupported"/> on older GPUs.</exception>
    ulong GetTotalEnergyMillijoules(int index);

    /// <summary>nvmlDeviceGetPowerUsage: board power now, in milliwatts.</summary>
    uint GetPowerMilliwatts(int index);

    /// <summary>nvmlDeviceGetUtilizationRates: percent of the last sample period the GPU and its memory were busy.</summary>
    NvmlUtilization GetUtilization(int index);

    /// <summary>nvmlDeviceGetMemoryInfo, in bytes.</summary>
    NvmlMemory GetMemory(int index);
}

public readonly record struct NvmlUtilization(uint GpuPercent, uint MemoryPercent);

public readonly record struct NvmlMemory(ulong TotalBytes, ulong FreeBytes, ulong UsedBytes);

/// <summary>The nvmlReturn_t codes the meter tells apart (nvml.h); any other code is kept as its number.</summary>
public enum NvmlReturn
{
    Success = 0,
    Uninitialized = 1,
    InvalidArgument = 2,
    NotSupported = 3,
    NoPermission = 4,
    NotFound = 6,
    GpuIsLost = 15,
    Unknown = 999,
}

public sealed class NvmlException(string function, NvmlReturn code, string? message = null)
    : Exception($"{function} failed: {message ?? code.ToString()} (nvmlReturn {(int)code})")
{
    public NvmlReturn Code { get; } = code;
}
