using GreenTrain.Scheduler.Intensity;

namespace GreenTrain.Scheduler.Traces;

/// <summary>
/// Turns time-stamped values (each the intensity from its time stamp onward) into intervals. Each sample
/// lasts until the next one, so a trace whose resolution changes part way (the British one goes from
/// 30 to 15 minutes) needs no special case; a jump of more than 1.5 usual steps is a gap, and the
/// sample before it lasts one usual step.
/// </summary>
internal static class PointSamples
{
    public static IntensitySeries ToSeries(
        IReadOnlyList<(DateTimeOffset Time, double Value)> samples, string region, IntensitySignal signal, string source, string file)
    {
        if (samples.Count == 0)
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
        var intervals = new IntensityInterval[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var start = ordered[i].Time;
            var end = i + 1 < ordered.Length && ordered[i + 1].Time - start <= step * 1.5 ? ordered[i + 1].Time : start + step;
            intervals[i] = new IntensityInterval(start, end, ordered[i].Value, signal, source, region);
        }
        return new IntensitySeries(region, intervals);
    }

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
