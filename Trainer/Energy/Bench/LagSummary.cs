using System.Globalization;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>The slow sources' read lag (boundary to the read's start and end) as median and p90 rows, in microseconds.</summary>
public static class LagSummary
{
    public static IEnumerable<string[]> Rows(EnergyMeter meter)
    {
        foreach (var group in meter.ReadLags.Snapshot().GroupBy(l => l.Device))
        {
            var shared = group.Count(l => l.Shared);
            yield return Row($"{group.Key} read lag to read start (background reader; {shared} of {group.Count()} readings shared)",
                group.Select(l => l.ToReadStart.TotalMicroseconds));
            yield return Row($"{group.Key} read lag to read end (the most a reading lags its boundary)", group.Select(l => l.ToReadEnd.TotalMicroseconds));
        }
    }

    public static string[] Row(string part, IEnumerable<double> microseconds)
    {
        var sorted = microseconds.Order().ToArray();
        return sorted.Length == 0
            ? [part, "", ""]
            : [part, F(sorted[sorted.Length / 2]), F(sorted[(int)(sorted.Length * 0.9)])];
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
