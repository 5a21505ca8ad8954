using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// RAM energy modelled as watts per GB of installed memory x time, the fallback when there is no RAPL DRAM
/// domain. The default of 3 W per 8 GB (0.375 W/GB) is CodeCarbon's RAM model (docs, "Methodology: RAM",
/// versions 2.x); its emissions.csv files show it as ram_power = 0.375 x ram_total_size.
/// </summary>
public sealed class MemoryEstimateSource : IEnergySource
{
    public const double CodeCarbonWattsPerGb = 3.0 / 8.0;

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;

    public MemoryEstimateSource(double totalGb, double wattsPerGb, TimeProvider? time = null)
    {
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

    public EnergyReading Read() => new(Watts * _time.GetElapsedTime(_startTimestamp).TotalSeconds);

    public void Dispose()
    {
    }
}
