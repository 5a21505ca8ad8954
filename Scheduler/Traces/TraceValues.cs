using System.Globalization;

namespace GreenTrain.Scheduler.Traces;

/// <summary>Parsing shared by the trace forms: time stamps without a zone are read as UTC, as the traces publish them.</summary>
internal static class TraceValues
{
    /// <summary>WattTime reports MOER in lbs CO2 per MWh; one lb/MWh is 0.45359237 g/kWh.</summary>
    public const double GramsPerKWhPerLbsPerMWh = 0.45359237;

    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

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
