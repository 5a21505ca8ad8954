using System.Globalization;

namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// Parsing shared by every trace form and provider answer, so all of them follow one time-zone and gap policy:
/// a time stamp with an offset ("Z", "+01:00") is taken as written; one without is read on the clock of
/// <see cref="TracePolicy.ZonelessTimes"/> (UTC unless the caller says otherwise; the shipped 2020 traces are UTC,
/// see docs/carbon.md); a missing value is a gap, never zero.
/// </summary>
public static class TraceValues
{
    /// <summary>WattTime reports MOER in lbs CO2 per MWh; one lb/MWh is 0.45359237 g/kWh.</summary>
    public const double GramsPerKWhPerLbsPerMWh = 0.45359237;

    public static bool TryParseTime(string text, out DateTimeOffset time) => TryParseTime(text, TracePolicy.Utc, out time);

    /// <summary>
    /// Reads a time stamp as UTC. Without an offset it is a wall-clock time in the policy's zone: a time in the hour skipped
    /// when clocks go forward is read as if the clock had not moved yet (standard offset), and a time in the hour that
    /// repeats when they go back takes the daylight offset, the first of the two (a trace that writes the hour twice
    /// then reads as two values for one moment and is refused with that message, rather than silently shifted).
    /// </summary>
    public static bool TryParseTime(string text, TracePolicy policy, out DateTimeOffset time)
    {
        var trimmed = text.Trim();
        if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return false;
        }
        if (policy.ZonelessTimes == TimeZoneInfo.Utc || HasOffset(trimmed))
        {
            return true;
        }
        var wall = DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified);
        var zone = policy.ZonelessTimes;
        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max()
            : zone.IsInvalidTime(wall) ? zone.BaseUtcOffset
            : zone.GetUtcOffset(wall);
        time = new DateTimeOffset(wall, offset).ToUniversalTime();
        return true;
    }

    /// <summary>"2020-01-01T00:00Z", "...+01:00", "...-05:00": an offset after the time part (a date's own dashes do not count).</summary>
    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }
        var timePart = text.IndexOfAny(['T', 't', ' ']);
        return timePart > 0 && text.IndexOfAny(['+', '-'], timePart) > 0;
    }

    /// <summary>A missing value (empty, null, NaN) is a gap, not zero; it returns false and the caller skips the sample.</summary>
    public static bool TryParseValue(string text, out double value)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase)
            || !double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsNaN(value))
        {
            value = double.NaN;
            return false;
        }
        return true;
    }

    /// <summary>Splits one CSV line, honouring double quotes (Electricity Maps quotes some fields).</summary>
    public static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        fields.Add(current.ToString());
        return fields;
    }
}
