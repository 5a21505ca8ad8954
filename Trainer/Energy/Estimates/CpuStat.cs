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
    /// <remarks>Called at every window boundary, so it reads one buffer and parses in place: no reader, no strings per field.</remarks>
    public static CpuStat Read(string procStatPath)
    {
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        using (var handle = File.OpenHandle(procStatPath))
        {
            length = RandomAccess.Read(handle, buffer, 0);
        }
        var text = buffer[..length];
        var end = text.IndexOf((byte)'\n');
        var line = end < 0 ? text : text[..end];
        if (!line.StartsWith("cpu "u8))
        {
            throw new FormatException($"{procStatPath} does not start with the aggregate 'cpu' line.");
        }
        Span<ulong> fields = stackalloc ulong[10];
        var count = 0;
        foreach (var range in line[4..].Split((byte)' '))
        {
            var field = line[4..][range];
            if (field.IsEmpty || count == fields.Length)
            {
                continue;
            }
            if (!System.Buffers.Text.Utf8Parser.TryParse(field, out ulong value, out var consumed) || consumed != field.Length)
            {
                throw new FormatException($"{procStatPath}: '{System.Text.Encoding.ASCII.GetString(field)}' in the 'cpu' line is not a tick count.");
            }
            fields[count++] = value;
        }
        if (count < 4)
        {
            throw new FormatException($"{procStatPath}: the 'cpu' line has {count} counters, expected at least 4.");
        }
        // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user and nice).
        var idle = fields[3] + fields[4];
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return new CpuStat(busy, idle);
    }
}
