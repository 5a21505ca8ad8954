using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// Turns time-stamped values (each the intensity from its time stamp onward) into intervals. Each sample
/// lasts until the next one, so a trace whose resolution changes part way (the British one goes from
/// 30 to 15 minutes) needs no special case; a jump of more than 1.5 usual steps is a gap, and the
/// sample before it lasts one usual step. A sample whose value is NaN marks a missing value (an empty CSV cell, a null
/// rating): it makes no interval, and the sample before it ends at its time stamp, so a known hole stays a hole.
/// </summary>
public static class PointSamples
{
    public static IntensitySeries ToSeries(
        IReadOnlyList<(DateTimeOffset Time, double Value)> samples, string region, IntensitySignal signal, string source, string file)
    {
        if (!samples.Any(s => !double.IsNaN(s.Value)))
        {
            throw new TraceFormatException($"{file}: no intensity values found.");
        }
        var ordered = samples.OrderBy(s => s.Time).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Time == ordered[i - 1].Time)
            {
                throw new TraceFormatException($"{file}: two values for {ordered[i].Time:O}.");
            }
        }
        var step = TypicalStep(ordered);
        var intervals = new List<IntensityInterval>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (double.IsNaN(ordered[i].Value))
            {
                continue;
            }
            var start = ordered[i].Time;
            var next = i + 1 < ordered.Length ? ordered[i + 1].Time : DateTimeOffset.MaxValue;
            var end = next - start <= step * 1.5 ? next : start + Min(step, next - start);
            intervals.Add(new IntensityInterval(start, end, ordered[i].Value, signal, source, region));
        }
        return new IntensitySeries(region, intervals);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The most common distance between samples; one hour for a single sample, the usual resolution of grid data.</summary>
    private static TimeSpan TypicalStep((DateTimeOffset Time, double Value)[] ordered)
    {
        if (ordered.Length < 2)
        {
            return TimeSpan.FromHours(1);
        }
        return Enumerable.Range(1, ordered.Length - 1)
            .Select(i => ordered[i].Time - ordered[i - 1].Time)
            .GroupBy(d => d)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key)
            .First().Key;
    }
}
