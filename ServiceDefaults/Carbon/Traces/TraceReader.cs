namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// The one way to read an intensity trace, in whichever form it is written: CSV (`Time,Carbon Intensity`, the
/// Electricity Maps export, a WattTime MOER export) or Carbon Aware SDK JSON, told apart by their first character and
/// header. The Scheduler (back-test, trace replay) and Telemetry (accounting) both read through it, so one file reads
/// the same in both.
/// </summary>
public static class TraceReader
{
    public static IntensitySeries ReadFile(string path, string? region = null, TracePolicy? policy = null)
    {
        if (!File.Exists(path))
        {
            throw new TraceFormatException($"{path}: no such file.");
        }
        using var stream = File.OpenRead(path);
        return Read(stream, path, region, policy);
    }

    /// <summary>Reads a trace; the series' <see cref="IntensitySeries.Source"/> is the file's name, for reports.</summary>
    public static IntensitySeries Read(Stream stream, string file, string? region = null, TracePolicy? policy = null)
    {
        var series = ReadForm(stream, file, region, policy);
        return new IntensitySeries(series.Region, series.Intervals, Path.GetFileName(file));
    }

    private static IntensitySeries ReadForm(Stream stream, string file, string? region, TracePolicy? policy)
    {
        var buffered = new BufferedStream(stream);
        var first = PeekFirstNonSpace(buffered);
        if (first is '{' or '[')
        {
            return CarbonAwareJsonTraceReader.Read(buffered, file, region, policy);
        }
        using var reader = new StreamReader(buffered);
        return CsvTraceReader.Read(reader, file, region, policy);
    }

    private static int PeekFirstNonSpace(BufferedStream stream)
    {
        var start = stream.Position;
        int b;
        // Skip a UTF-8 byte order mark and white space.
        while ((b = stream.ReadByte()) is 0xEF or 0xBB or 0xBF || (b >= 0 && char.IsWhiteSpace((char)b)))
        {
        }
        stream.Position = start;
        return b;
    }
}
