using System.Globalization;

namespace GreenTrain.Trainer.Energy.Estimates;

/// <summary>
/// The machine-wide CPU time counters of /proc/stat (the "cpu" line, in clock ticks), from which utilisation
/// over an interval is the share of non-idle ticks. See proc(5) for the column order.
/// </summary>
public readonly record struct CpuStat(ulong Busy, ulong Idle)
{
    public ulong Total => Busy + Idle;

    /// <summary>Percent of the ticks between <paramref name="earlier"/> and this reading that were busy, 0-100.</summary>
    public double UtilizationSince(CpuStat earlier)
    {
        var total = Total - earlier.Total;
        return total == 0 ? 0 : 100.0 * (Busy - earlier.Busy) / total;
    }

    /// <summary>Reads the aggregate line of a /proc/stat file (a fake one in tests).</summary>
    public static CpuStat Read(string procStatPath)
    {
        using var reader = new StreamReader(procStatPath);
        var line = reader.ReadLine();
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            throw new FormatException($"{procStatPath} does not start with the aggregate 'cpu' line.");
        }
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => ulong.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        if (fields.Length < 4)
        {
            throw new FormatException($"{procStatPath}: the 'cpu' line has {fields.Length} counters, expected at least 4.");
        }
        // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user and nice).
        ulong At(int i) => i < fields.Length ? fields[i] : 0;
        var idle = At(3) + At(4);
        var busy = At(0) + At(1) + At(2) + At(5) + At(6) + At(7);
        return new CpuStat(busy, idle);
    }
}
