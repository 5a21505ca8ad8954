using System.Globalization;

namespace GreenTrain.Telemetry.Intensity;

/// <summary>
/// Reads an intensity trace in CSV: a header naming a time column ("Time", "timestamp", "datetime") and an
/// intensity column ("Carbon Intensity", "intensity", "carbon_intensity"; gCO2eq/kWh), as the traces of
/// "Let's Wait Awhile" (Wiesner et al., 2021) are laid out. Time stamps with an offset ("Z", "+01:00") are
/// taken as written; those without one are in <paramref name="timeZone"/> (those traces use local time).
/// </summary>
public static class TraceFile
{
    private static readonly string[] TimeColumns = ["time", "timestamp", "datetime"];
    private static readonly string[] IntensityColumns = ["carbon intensity", "intensity", "carbon_intensity"];

    public static IntensitySeries Read(string path, string region, TimeZoneInfo timeZone)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new FormatException($"{path} is empty.")).Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var timeColumn = Array.FindIndex(header, TimeColumns.Contains);
        var valueColumn = Array.FindIndex(header, IntensityColumns.Contains);
        if (timeColumn < 0 || valueColumn < 0)
        {
            throw new FormatException($"{path}: the header '{string.Join(",", header)}' needs a time column ({string.Join("/", TimeColumns)}) and an intensity column ({string.Join("/", IntensityColumns)}).");
        }
        var points = new List<IntensityPoint>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length <= Math.Max(timeColumn, valueColumn)
                || !double.TryParse(cells[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var grams))
            {
                throw new FormatException($"{path}, line {lineNumber}: '{line}' has no intensity value in column {valueColumn + 1}.");
            }
            if (ParseTime(cells[timeColumn].Trim(), timeZone) is { } time)
            {
                points.Add(new IntensityPoint(time, grams));
            }
        }
        return new IntensitySeries(region, Path.GetFileName(path), points);
    }

    private static DateTimeOffset? ParseTime(string text, TimeZoneInfo zone)
    {
        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset)
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        var local = DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Unspecified);
        // The hour skipped when clocks go forward does not exist; a trace stamped in it has nothing to say.
        return zone.IsInvalidTime(local) ? null : new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
