using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Intensity;

namespace GreenTrain.Telemetry.Accounting;

/// <summary>
/// Emissions = sum over windows of energy x intensity(region, window's time) x PUE (DESIGN.md, measurement
/// rules). Paused windows are not billed: a paused job's idle devices are the machine's cost, not the job's.
/// </summary>
public static class EmissionsAccountant
{
    public const double JoulesPerKwh = 3_600_000;

    public static AccountingResult Account(IReadOnlyList<EnergyWindow> windows, IntensitySeries? series, AccountingSettings settings)
    {
        var ordered = windows.OrderBy(w => w.Start).ThenBy(w => w.Sequence).ToList();
        var billed = ordered.Select(w => Price(w, w.Start, w.End, series, settings)).ToList();
        var charged = billed.Where(b => b.Billed).ToList();

        Subtotal[] By(Func<DeviceEnergy, EnergyWindow, string> key) => charged
            .SelectMany(b => b.Window.Devices.Select(d => (Key: key(d, b.Window), Kwh: d.Joules / JoulesPerKwh, b.IntensityGramsPerKwh)))
            .GroupBy(x => x.Key)
            .Select(g => new Subtotal(g.Key, g.Sum(x => x.Kwh), g.Sum(x => x.Kwh * settings.Pue * x.IntensityGramsPerKwh)))
            .OrderByDescending(s => s.EnergyKwh)
            .ToArray();

        return new AccountingResult(
            settings,
            series?.Source,
            billed,
            charged.Sum(b => b.EnergyKwh),
            charged.Sum(b => b.EmissionsGrams),
            billed.Where(b => !b.Billed).Sum(b => b.EnergyKwh),
            charged.Sum(b => Seconds(b.Window)),
            charged.Sum(b => Seconds(b.Window) * b.Window.Devices.Count(d => d.Kind == DeviceKind.Gpu)) / 3600,
            By((_, w) => Label(w.Phase)),
            By((d, _) => d.Device),
            By((d, _) => Label(d.Kind)),
            By((d, _) => Label(d.Method)));
    }

    /// <summary>Prices one window as if it ran over [start, end] (the run-at-once comparison moves windows in time).</summary>
    public static BilledWindow Price(EnergyWindow window, DateTimeOffset start, DateTimeOffset end, IntensitySeries? series, AccountingSettings settings)
    {
        var kwh = window.Devices.Sum(d => d.Joules) / JoulesPerKwh;
        var fromSeries = series?.MeanOver(start, end);
        var intensity = fromSeries ?? series?.Mean ?? settings.AverageIntensity;
        var isBilled = window.Phase != EnergyPhase.Paused;
        return new BilledWindow(window, isBilled, kwh, intensity, fromSeries is null ? IntensityBasis.Average : IntensityBasis.Series,
            isBilled ? kwh * settings.Pue * intensity : 0);
    }

    public static double Seconds(EnergyWindow window) => Math.Max((window.End - window.Start).TotalSeconds, 0);

    public static string Label<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
