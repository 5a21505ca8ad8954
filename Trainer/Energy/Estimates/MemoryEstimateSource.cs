using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// RAM energy modelled as watts per GB of installed memory x time, the fallback when there is no RAPL DRAM
/// domain. The default of 3 W per 8 GB (0.375 W/GB) is CodeCarbon's RAM model (docs, "Methodology: RAM",
/// versions 2.x); its emissions.csv files show it as ram_power = 0.375 x ram_total_size. Each reading also carries
/// the memory in use (MemTotal - MemAvailable from /proc/meminfo, what psutil's percent counts), for CodeCarbon's
/// ram_used_gb and ram_utilization_percent.
/// </summary>
public sealed class MemoryEstimateSource : IEnergySource
{
    public const double CodeCarbonWattsPerGb = 3.0 / 8.0;

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly string? _meminfo;

    /// <param name="meminfo">/proc/meminfo, for the memory in use; null leaves it out.</param>
    public MemoryEstimateSource(double totalGb, double wattsPerGb, TimeProvider? time = null, string? meminfo = null)
    {
        _meminfo = meminfo;
        if (totalGb <= 0 || wattsPerGb < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalGb), $"Memory size {totalGb} GB and {wattsPerGb} W/GB must be positive.");
        }
        _time = time ?? TimeProvider.System;
        _startTimestamp = _time.GetTimestamp();
        Watts = totalGb * wattsPerGb;
        Model = $"{totalGb:F1} GB RAM";
    }

    public double Watts { get; }

    public string Device => "memory";

    public DeviceKind Kind => DeviceKind.Memory;

    public EnergyMethod Method => EnergyMethod.Estimate;

    public string? Model { get; }

    public EnergyReading Read() => new(Watts * _time.GetElapsedTime(_startTimestamp).TotalSeconds, MemoryUsedBytes: UsedBytes());

    /// <summary>MemTotal - MemAvailable in bytes; null when the file or a field is missing.</summary>
    private long? UsedBytes()
    {
        if (_meminfo is null || !File.Exists(_meminfo))
        {
            return null;
        }
        long? total = null, available = null;
        foreach (var line in File.ReadLines(_meminfo))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && long.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var kib))
            {
                if (fields[0] == "MemTotal:") total = kib;
                else if (fields[0] == "MemAvailable:") available = kib;
            }
            if (total is not null && available is not null)
            {
                return (total - available) * 1024;
            }
        }
        return null;
    }

    public void Dispose()
    {
    }
}
