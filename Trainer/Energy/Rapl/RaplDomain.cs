using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Rapl;

/// <summary>
/// One RAPL domain under /sys/class/powercap (a CPU package or its DRAM). Its energy_uj counter wraps to
/// zero after max_energy_range_uj; a package at 200 W wraps every ~20 minutes with a 2^32 uJ range, so the
/// meter must read it more often than that (every window does) and add the range back at each wrap.
/// </summary>
public sealed class RaplDomain : IEnergySource
{
    private readonly string _energyFile;
    private readonly ulong _maxRangeMicrojoules;
    private ulong _last;
    private double _totalMicrojoules;

    public RaplDomain(string folder, string device, DeviceKind kind)
    {
        Folder = folder;
        Device = device;
        Kind = kind;
        Model = File.Exists(Path.Combine(folder, "name")) ? File.ReadAllText(Path.Combine(folder, "name")).Trim() : null;
        _energyFile = Path.Combine(folder, "energy_uj");
        _maxRangeMicrojoules = ReadCounter(Path.Combine(folder, "max_energy_range_uj"));
        _last = ReadCounter(_energyFile);
    }

    public string Folder { get; }

    public string Device { get; }

    public DeviceKind Kind { get; }

    public EnergyMethod Method => EnergyMethod.Counter;

    public string? Model { get; }

    public EnergyReading Read()
    {
        var now = ReadCounter(_energyFile);
        // One wrap at most between readings: windows are far shorter than the wrap period.
        var delta = now >= _last ? now - _last : _maxRangeMicrojoules - _last + now;
        _last = now;
        _totalMicrojoules += delta;
        return new EnergyReading(_totalMicrojoules / 1e6);
    }

    public void Dispose()
    {
    }

    private static ulong ReadCounter(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (UnauthorizedAccessException ex)
        {
            // Since Linux 5.10 (CVE-2020-8694) energy_uj is readable by root only.
            throw new UnauthorizedAccessException($"{file} is readable by root only on this kernel: run as root or grant read access (chmod o+r) to use RAPL.", ex);
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{file} holds '{text}', not a counter in microjoules.");
    }
}
