using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// CPU energy modelled as TDP x machine-wide utilisation (from /proc/stat) x time: the fallback when there
/// is no RAPL counter. Labelled an estimate. It counts the whole machine, as CodeCarbon's "machine" mode does.
/// </summary>
/// <remarks>
/// /proc/stat is read on a background timer, not at window boundaries: the kernel builds the whole file (a line per
/// CPU and every interrupt counter) for each read, which grows with the machine. A boundary adds to the energy
/// integrated up to the last sample the time since, at the last sample's utilisation; the next sample settles it.
/// So windows shift by at most one period's share between neighbours, and a reading never goes backwards.
/// </remarks>
public sealed class CpuEstimateSource : IEnergySource
{
    /// <summary>The default sampling period of /proc/stat.</summary>
    public static readonly TimeSpan DefaultSamplePeriod = TimeSpan.FromMilliseconds(500);

    private readonly string _procStat;
    private readonly double _tdpWatts;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private CpuStat _lastStat;
    private long _lastSample;
    private double _lastUtilization;
    private double _sampledJoules;
    private double _reportedJoules;
    private long _lastRead;

    public CpuEstimateSource(string procStatPath, double tdpWatts, string? model, TimeProvider? time = null, TimeSpan? samplePeriod = null)
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
        // Until the first sample, the machine's utilisation since boot is the best guess for the extrapolation.
        _lastUtilization = _lastStat.UtilizationSince(default);
        _lastSample = _lastRead = _time.GetTimestamp();
        var period = samplePeriod ?? DefaultSamplePeriod;
        _timer = _time.CreateTimer(_ => Sample(), null, period, period);
    }

    public string Device => "cpu";

    public DeviceKind Kind => DeviceKind.Cpu;

    public EnergyMethod Method => EnergyMethod.Estimate;

    public string? Model { get; }

    public double TdpWatts => _tdpWatts;

    /// <summary>No file read: the integral to the last sample plus the time since at the last utilisation.</summary>
    /// <returns>The joules so far and the utilisation that they imply since the previous reading.</returns>
    public EnergyReading Read()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var sinceSample = _time.GetElapsedTime(_lastSample, now).TotalSeconds;
            var joules = Math.Max(_reportedJoules, _sampledJoules + _tdpWatts * _lastUtilization / 100 * sinceSample);
            var sinceRead = _time.GetElapsedTime(_lastRead, now).TotalSeconds;
            double? utilization = sinceRead > 0 ? Math.Clamp((joules - _reportedJoules) / (_tdpWatts * sinceRead) * 100, 0, 100) : null;
            _reportedJoules = joules;
            _lastRead = now;
            return new EnergyReading(joules, utilization ?? _lastUtilization);
        }
    }

    private void Sample()
    {
        CpuStat stat;
        try
        {
            stat = CpuStat.Read(_procStat);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return; // the extrapolation carries on from the last good sample
        }
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var utilization = stat.UtilizationSince(_lastStat);
            _sampledJoules += _tdpWatts * utilization / 100 * _time.GetElapsedTime(_lastSample, now).TotalSeconds;
            _lastUtilization = utilization;
            _lastStat = stat;
            _lastSample = now;
        }
    }

    public void Dispose() => _timer.Dispose();
}
