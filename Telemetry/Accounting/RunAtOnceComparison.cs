using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Telemetry.Intensity;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>
/// What the same work would have emitted run at once: the billed windows back to back from the run's first
/// window, with no pauses or gaps, priced at the intensity of those earlier hours. The difference is what
/// carbon-aware scheduling saved (or cost).
/// </summary>
public static class RunAtOnceComparison
{
    /// <returns>Emissions in grams of the at-once schedule; null when there is nothing billed or no series to compare with.</returns>
    public static double? EmissionsGrams(AccountingResult actual, IntensitySeries? series)
    {
        if (series is null || actual.Start is not { } cursor)
        {
            return null;
        }
        double grams = 0;
        foreach (var billed in actual.Windows.Where(w => w.Billed))
        {
            var end = cursor + (billed.Window.End - billed.Window.Start);
            grams += EmissionsAccountant.Price(billed.Window, cursor, end, series, actual.Settings).EmissionsGrams;
            cursor = end;
        }
        return grams;
    }
}
