using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// CPU energy modelled as TDP x machine-wide utilisation (from /proc/stat) x time: the fallback when there
/// is no RAPL counter. Labelled an estimate. It counts the whole machine, as CodeCarbon's "machine" mode does.
/// </summary>
public sealed class CpuEstimateSource : IEnergySource
{
    private readonly string _procStat;
    private readonly double _tdpWatts;
    private readonly TimeProvider _time;
    private CpuStat _lastStat;
    private long _lastTimestamp;
    private double _joules;

    public CpuEstimateSource(string procStatPath, double tdpWatts, string? model, TimeProvider? time = null)
    {
        if (tdpWatts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tdpWatts), tdpWatts, "The CPU's TDP must be positive (watts).");
        }
        _procStat = procStatPath;
        _tdpWatts = tdpWatts;
        _time = time ?? TimeProvider.System;
        Model = model;
        _lastStat = CpuStat.Read(procStatPath);
        _lastTimestamp = _time.GetTimestamp();
    }

    public string Device => "cpu";

    public DeviceKind Kind => DeviceKind.Cpu;

    public EnergyMethod Method => EnergyMethod.Estimate;

    public string? Model { get; }

    public double TdpWatts => _tdpWatts;

    public EnergyReading Read()
    {
        var stat = CpuStat.Read(_procStat);
        var now = _time.GetTimestamp();
        var utilization = stat.UtilizationSince(_lastStat);
        _joules += _tdpWatts * utilization / 100 * _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastStat = stat;
        _lastTimestamp = now;
        return new EnergyReading(_joules, utilization);
    }

    public void Dispose()
    {
    }
}
