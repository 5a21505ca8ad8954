using System.Runtime.InteropServices;

namespace GreenTrain.Trainer.Energy.Nvml;

/// <summary>
/// NVML through P/Invoke on libnvidia-ml.so.1, the library the NVIDIA driver installs. Only query functions
/// are declared here (see <see cref="INvmlBinding"/> for why).
/// </summary>
public sealed class NvmlNativeBinding : INvmlBinding
{
    private const string Library = "libnvidia-ml.so.1";
    private readonly IntPtr[] _handles;
    private bool _disposed;

    private NvmlNativeBinding(IntPtr[] handles) => _handles = handles;

    /// <summary>Loads and initialises NVML; null (and why) when there is no driver or no GPU.</summary>
    public static NvmlNativeBinding? TryCreate(out string? whyNot)
    {
        try
        {
            Check(nameof(nvmlInit_v2), nvmlInit_v2());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or NvmlException)
        {
            // The loader lists every path it tried; the first line says enough.
            whyNot = ex.Message.Split('\n', 2)[0].Trim();
            return null;
        }
        try
        {
            Check(nameof(nvmlDeviceGetCount_v2), nvmlDeviceGetCount_v2(out var count));
            var handles = new IntPtr[count];
            for (var i = 0u; i < count; i++)
            {
                Check(nameof(nvmlDeviceGetHandleByIndex_v2), nvmlDeviceGetHandleByIndex_v2(i, out handles[i]));
            }
            whyNot = count == 0 ? "NVML reports no GPU" : null;
            return new NvmlNativeBinding(handles);
        }
        catch (NvmlException ex)
        {
            nvmlShutdown();
            whyNot = ex.Message;
            return null;
        }
    }

    public int DeviceCount => _handles.Length;

    public string GetName(int index)
    {
        var buffer = new byte[96]; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
        Check(nameof(nvmlDeviceGetName), nvmlDeviceGetName(_handles[index], buffer, (uint)buffer.Length));
        var length = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }

    public ulong GetTotalEnergyMillijoules(int index)
    {
        Check(nameof(nvmlDeviceGetTotalEnergyConsumption), nvmlDeviceGetTotalEnergyConsumption(_handles[index], out var millijoules));
        return millijoules;
    }

    public uint GetPowerMilliwatts(int index)
    {
        Check(nameof(nvmlDeviceGetPowerUsage), nvmlDeviceGetPowerUsage(_handles[index], out var milliwatts));
        return milliwatts;
    }

    public NvmlUtilization GetUtilization(int index)
    {
        Check(nameof(nvmlDeviceGetUtilizationRates), nvmlDeviceGetUtilizationRates(_handles[index], out var rates));
        return new NvmlUtilization(rates.Gpu, rates.Memory);
    }

    public NvmlMemory GetMemory(int index)
    {
        Check(nameof(nvmlDeviceGetMemoryInfo), nvmlDeviceGetMemoryInfo(_handles[index], out var memory));
        return new NvmlMemory(memory.Total, memory.Free, memory.Used);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            nvmlShutdown();
        }
    }

    private static void Check(string function, int code)
    {
        if (code != 0)
        {
            var text = Marshal.PtrToStringAnsi(nvmlErrorString(code));
            throw new NvmlException(function, Enum.IsDefined(typeof(NvmlReturn), code) ? (NvmlReturn)code : NvmlReturn.Unknown, text);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeUtilization { public uint Gpu; public uint Memory; }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeMemory { public ulong Total; public ulong Free; public ulong Used; }

#pragma warning disable SYSLIB1054 // DllImport keeps the project free of unsafe code; these calls are not hot.
    [DllImport(Library)] private static extern int nvmlInit_v2();
    [DllImport(Library)] private static extern int nvmlShutdown();
    [DllImport(Library)] private static extern IntPtr nvmlErrorString(int result);
    [DllImport(Library)] private static extern int nvmlDeviceGetCount_v2(out uint count);
    [DllImport(Library)] private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);
    [DllImport(Library)] private static extern int nvmlDeviceGetName(IntPtr device, byte[] name, uint length);
    [DllImport(Library)] private static extern int nvmlDeviceGetTotalEnergyConsumption(IntPtr device, out ulong energy);
    [DllImport(Library)] private static extern int nvmlDeviceGetPowerUsage(IntPtr device, out uint power);
    [DllImport(Library)] private static extern int nvmlDeviceGetUtilizationRates(IntPtr device, out NativeUtilization utilization);
    [DllImport(Library)] private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out NativeMemory memory);
#pragma warning restore SYSLIB1054
}
