
namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// Reads the CSV trace forms, told apart by their header:
/// <list type="bullet">
/// <item>`Time,Carbon Intensity` (the Let's Wait Awhile traces; also `time,...,intensity` as the UK API is often saved);</item>
/// <item>the Electricity Maps export: `Datetime (UTC)`, `Zone Id`, and a `Carbon Intensity gCO₂eq/kWh (LCA)` or
/// `(Life cycle)` column, else the `(direct)` one;</item>
/// <item>a WattTime MOER export (`point_time,value`, lbs/MWh, converted to g/kWh, marginal signal).</item>
/// </list>
/// </summary>
public static class CsvTraceReader
{
    private static readonly string[] TimeColumns = ["Time", "Datetime (UTC)", "datetime", "point_time", "timestamp"];

    private static readonly string[] ValueColumns =
    [
        "Carbon Intensity", "Carbon Intensity gCO₂eq/kWh (LCA)", "Carbon intensity gCO₂eq/kWh (Life cycle)",
        "Carbon Intensity gCO₂eq/kWh (Life cycle)", "Carbon Intensity gCO₂eq/kWh (direct)", "Carbon intensity gCO₂eq/kWh (direct)",
        "intensity", "carbon_intensity",
    ];

    public static IntensitySeries Read(TextReader reader, string file, string? region = null, TracePolicy? policy = null)
    {
        policy ??= TracePolicy.Utc;
        var header = reader.ReadLine()?.TrimStart('\uFEFF')
            ?? throw new TraceFormatException($"{file}: the file is empty.");
        var columns = TraceValues.SplitCsv(header).Select(c => c.Trim()).ToList();
        var timeIndex = IndexOfAny(columns, TimeColumns);
        var isWattTime = columns.Contains("point_time") && columns.Contains("value");
        var valueIndex = isWattTime ? columns.IndexOf("value") : IndexOfAny(columns, ValueColumns);
        if (timeIndex < 0 || valueIndex < 0)
        {
            throw new TraceFormatException(
                $"{file}:1: header '{Printable(header)}' is none of the known forms (`Time,Carbon Intensity`, the Electricity Maps export with " +
                "`Datetime (UTC)` and a `Carbon Intensity gCO₂eq/kWh` column, or WattTime `point_time,value`).");
        }
        var zoneIndex = columns.IndexOf("Zone Id");
        var source = isWattTime ? "watttime-trace" : zoneIndex >= 0 ? "electricitymaps-trace" : "trace";
        var signal = isWattTime ? IntensitySignal.Marginal : IntensitySignal.Average;
        var samples = new List<(DateTimeOffset, double)>();
        string? zone = null;
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = TraceValues.SplitCsv(line);
            if (fields.Count <= Math.Max(timeIndex, valueIndex))
            {
                throw new TraceFormatException($"{file}:{lineNumber}: expected {columns.Count} fields, found {fields.Count}.");
            }
            if (!TraceValues.TryParseTime(fields[timeIndex], policy, out var time))
            {
                throw new TraceFormatException($"{file}:{lineNumber}: '{Printable(fields[timeIndex])}' is not a time stamp.");
            }
            if (!TraceValues.TryParseValue(fields[valueIndex], out var value))
            {
                samples.Add((time, double.NaN)); // a missing value is a gap in the series, marked where it starts
                continue;
            }
            if (value < 0)
            {
                throw new TraceFormatException($"{file}:{lineNumber}: negative intensity {value}.");
            }
            zone ??= zoneIndex >= 0 && zoneIndex < fields.Count ? fields[zoneIndex].Trim() : null;
            samples.Add((time, isWattTime ? value * TraceValues.GramsPerKWhPerLbsPerMWh : value));
        }
        return PointSamples.ToSeries(samples, region ?? zone ?? RegionFromFileName(file), signal, source, file);
    }

    /// <summary>
    /// Text of the file as it may go into a message and a log: a garbage or binary file must not put escape sequences,
    /// NULs or replacement characters in either, nor a megabyte-long "line".
    /// </summary>
    private static string Printable(string text)
    {
        var shown = new string(text.Take(60).Select(c => char.IsControl(c) || c == '\uFFFD' || char.IsSurrogate(c) ? '?' : c).ToArray());
        return text.Length > 60 ? shown + "..." : shown;
    }

    /// <summary>`de_2020.csv` is region DE: the part of the file name before the first underscore, upper case.</summary>
    public static string RegionFromFileName(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var cut = name.IndexOfAny(['_', '-', '.']);
        return (cut > 0 ? name[..cut] : name).ToUpperInvariant();
    }

    private static int IndexOfAny(List<string> columns, string[] names)
    {
        foreach (var name in names)
        {
            var index = columns.FindIndex(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index;
            }
        }
        return -1;
    }
}
