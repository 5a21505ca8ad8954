using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Nvml;

/// <summary>
/// One GPU. Uses the total-energy counter when the GPU has one (Volta and later); otherwise integrates
/// board power sampled in the background, and says so through <see cref="Method"/>. Utilisation and memory come
/// from a background <see cref="GpuStatusSampler"/>: a boundary reads the energy (one NVML call) and nothing else,
/// and the meter makes that call on the GPU's own reader thread (<see cref="ReadsSlowly"/>).
/// </summary>
public sealed class NvmlGpuSource : IEnergySource
{
    private readonly INvmlBinding _nvml;
    private readonly int _index;
    private readonly ulong _startMillijoules;
    private readonly PowerSampler? _sampler;
    private readonly GpuStatusSampler _status;

    /// <param name="samplePeriod">Power sampling period when the GPU has no energy counter (at most 100 ms).</param>
    /// <param name="statusPeriod">Utilisation and memory sampling period; 500 ms when not given.</param>
    public NvmlGpuSource(INvmlBinding nvml, int index, TimeSpan samplePeriod, TimeProvider? time = null, TimeSpan? statusPeriod = null)
    {
        _nvml = nvml;
        _index = index;
        Device = $"gpu:{index}";
        Model = nvml.GetName(index);
        try
        {
            _startMillijoules = nvml.GetTotalEnergyMillijoules(index);
            Method = EnergyMethod.Counter;
        }
        catch (NvmlException ex) when (ex.Code == NvmlReturn.NotSupported)
        {
            Method = EnergyMethod.Integrated;
            _sampler = new PowerSampler(() => nvml.GetPowerMilliwatts(index) / 1000.0, samplePeriod, time);
        }
        _status = new GpuStatusSampler(nvml, index, statusPeriod ?? TimeSpan.FromMilliseconds(500), time);
    }

    public string Device { get; }

    public DeviceKind Kind => DeviceKind.Gpu;

    public EnergyMethod Method { get; }

    public string? Model { get; }

    /// <summary>An NVML call takes milliseconds (the energy counter ~3.2 ms median on an H200): the meter reads GPUs off the training thread.</summary>
    public bool ReadsSlowly => true;

    public EnergyReading Read()
    {
        var joules = _sampler is null
            ? (_nvml.GetTotalEnergyMillijoules(_index) - _startMillijoules) / 1000.0
            : _sampler.TotalJoules();
        var (utilization, memoryUsed) = _status.TakeWindow();
        return new EnergyReading(joules, utilization, memoryUsed);
    }

    public void Dispose()
    {
        _status.Dispose();
        _sampler?.Dispose();
    }
}
