using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Nvml;

/// <summary>
/// One GPU. Uses the total-energy counter when the GPU has one (Volta and later); otherwise integrates
/// board power sampled in the background, and says so through <see cref="Method"/>.
/// </summary>
public sealed class NvmlGpuSource : IEnergySource
{
    private readonly INvmlBinding _nvml;
    private readonly int _index;
    private readonly ulong _startMillijoules;
    private readonly PowerSampler? _sampler;

    public NvmlGpuSource(INvmlBinding nvml, int index, TimeSpan samplePeriod, TimeProvider? time = null)
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
    }

    public string Device { get; }

    public DeviceKind Kind => DeviceKind.Gpu;

    public EnergyMethod Method { get; }

    public string? Model { get; }

    public EnergyReading Read()
    {
        var joules = _sampler is null
            ? (_nvml.GetTotalEnergyMillijoules(_index) - _startMillijoules) / 1000.0
            : _sampler.TotalJoules();
        var utilization = _nvml.GetUtilization(_index);
        var memory = _nvml.GetMemory(_index);
        return new EnergyReading(joules, utilization.GpuPercent, (long)memory.UsedBytes);
    }

    public void Dispose() => _sampler?.Dispose();
}
