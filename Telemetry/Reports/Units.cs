using System.Globalization;

namespace GreenTrain.Telemetry.Reports;

/// <summary>Human-readable figures for the label: the unit that keeps 3 significant digits readable.</summary>
public static class Units
{
    public static string Energy(double kwh) => kwh >= 1 ? $"{Number(kwh)} kWh" : $"{Number(kwh * 1000)} Wh";

    public static string Mass(double grams) => grams >= 1000 ? $"{Number(grams / 1000)} kg" : $"{Number(grams)} g";

    public static string Duration(double seconds) =>
        seconds >= 3600 ? $"{Number(seconds / 3600)} h" : seconds >= 60 ? $"{Number(seconds / 60)} min" : $"{Number(seconds)} s";

    /// <summary>Three significant digits, no exponent: 0.0123, 1.23, 123, 1234.</summary>
    public static string Number(double value)
    {
        if (value == 0 || double.IsNaN(value))
        {
            return "0";
        }
        var digits = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value, Math.Min(digits, 12)).ToString("0.############", CultureInfo.InvariantCulture);
    }
}
