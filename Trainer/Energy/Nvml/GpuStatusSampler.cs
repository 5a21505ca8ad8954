namespace GreenTrain.Trainer.Energy.Nvml;

/// <summary>
/// Samples one GPU's utilisation and memory in use on a background timer, so that a window boundary on the
/// training thread makes a single NVML call (the energy counter) instead of three. NVML's utilisation is itself
/// a share of its last sample period (1/6 s to 1 s), so a window's mean of these samples loses nothing that a
/// single reading at the boundary had.
/// </summary>
public sealed class GpuStatusSampler : IDisposable
{
    private readonly INvmlBinding _nvml;
    private readonly int _index;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private double _utilizationSum;
    private int _samples;
    private double? _lastUtilization;
    private long? _memoryUsedBytes;

    public GpuStatusSampler(INvmlBinding nvml, int index, TimeSpan period, TimeProvider? time = null)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The GPU status sample period must be positive.");
        }
        _nvml = nvml;
        _index = index;
        Sample();
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Sample(), null, period, period);
    }

    /// <summary>
    /// The mean utilisation of the samples since the previous call (the latest sample when none came since, as in
    /// a window shorter than the period) and the memory in use at the latest sample; null when NVML never answered.
    /// </summary>
    public (double? UtilizationPercent, long? MemoryUsedBytes) TakeWindow()
    {
        lock (_gate)
        {
            var utilization = _samples > 0 ? _utilizationSum / _samples : _lastUtilization;
            _utilizationSum = 0;
            _samples = 0;
            return (utilization, _memoryUsedBytes);
        }
    }

    private void Sample()
    {
        NvmlUtilization utilization;
        NvmlMemory memory;
        try
        {
            utilization = _nvml.GetUtilization(_index);
            memory = _nvml.GetMemory(_index);
        }
        catch (NvmlException)
        {
            return; // a status sample is a detail of the report; a failed one is skipped (the energy counter is what bills)
        }
        lock (_gate)
        {
            _utilizationSum += utilization.GpuPercent;
            _samples++;
            _lastUtilization = utilization.GpuPercent;
            _memoryUsedBytes = (long)memory.UsedBytes;
        }
    }

    public void Dispose() => _timer.Dispose();
}
