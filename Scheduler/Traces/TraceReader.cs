using System.Reflection;
using GreenTrain.Scheduler.Intensity;

namespace GreenTrain.Scheduler.Traces;

/// <summary>Opens a trace by path, or one of the traces embedded in the Scheduler, in whichever form it is written.</summary>
public static class TraceReader
{
    /// <summary>Embedded traces by region: the Let's Wait Awhile 2020 traces (see Data/carbon/README.md).</summary>
    public static IReadOnlyList<string> EmbeddedRegions { get; } = ["DE", "FR", "GB"];

    public static IntensitySeries ReadFile(string path, string? region = null)
    {
        if (!File.Exists(path))
        {
            throw new TraceFormatException($"{path}: no such file.");
        }
        using var stream = File.OpenRead(path);
        return Read(stream, path, region);
    }

    public static IntensitySeries ReadEmbedded(string region)
    {
        var name = $"GreenTrain.Scheduler.Data.carbon.{region.ToLowerInvariant()}_2020.csv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new TraceFormatException(
                $"No embedded trace for region '{region}'; embedded: {string.Join(", ", EmbeddedRegions)}.");
        return Read(stream, name, region.ToUpperInvariant());
    }

    public static IntensitySeries Read(Stream stream, string file, string? region = null)
    {
        var buffered = new BufferedStream(stream);
        var first = PeekFirstNonSpace(buffered);
        if (first is '{' or '[')
        {
            return CarbonAwareJsonTraceReader.Read(buffered, file, region);
        }
        using var reader = new StreamReader(buffered);
        return CsvTraceReader.Read(reader, file, region);
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
