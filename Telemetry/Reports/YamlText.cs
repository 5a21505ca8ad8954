using System.Globalization;

namespace GreenTrain.Telemetry.Reports;

/// <summary>Scalars for the model card's YAML: plain decimal numbers (never "1E-05", which YAML reads as a string) and quoted text.</summary>
public static class YamlText
{
    /// <summary>A number with <paramref name="significant"/> significant digits written as a plain decimal: 1E-05 becomes 0.00001.</summary>
    public static string Number(double value, int significant = 6)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return "0";
        }
        var rounded = double.Parse(value.ToString($"G{significant}", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Abs(rounded) < 1e-20 ? "0" : ((decimal)rounded).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A YAML double-quoted scalar: only backslash and double quote need escaping in our texts.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "\"";
}
