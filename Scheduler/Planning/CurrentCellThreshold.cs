namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// Whether an <see cref="OnlineThreshold"/> runs a job's current cell (<see cref="JobSpace.First"/>, observed, so its
/// value is the actual intensity). The threshold rules number the job's cells of work from its start
/// (<see cref="JobSpace.CellsDone"/> done, this one the next), as the online algorithm does over a job's life.
/// </summary>
internal static class CurrentCellThreshold
{
    /// <summary>
    /// Whether the rule runs the job now in the region at index <paramref name="region"/>; <paramref name="forecastRunsNow"/>
    /// is what the point forecast's plan does. Null when the rule has nothing to go on (no recent values for the region,
    /// a job that cannot start in the observed cell, or a current cell with no free slot).
    /// </summary>
    public static bool? RunsNow(JobSpace s, int region, bool forecastRunsNow, OnlineThreshold threshold)
    {
        var intensity = s.Intensity[region];
        if (s.First != 0 || s.End <= 1 || s.Blocked[region][0] || !threshold.Recent.TryGetValue(s.Regions[region], out var recent))
        {
            return null;
        }
        var now = intensity[0];
        var cells = s.CellsDone + s.CellsNeeded;
        var unit = s.CellsDone + 1;
        bool AtOrBelowRecentThreshold() => now <= PauseResumeThresholds.For(unit, cells, recent.Min, recent.Max);
        return threshold.Rule switch
        {
            ThresholdRule.Threshold => AtOrBelowRecentThreshold(),
            ThresholdRule.ForecastOrThreshold => forecastRunsNow || AtOrBelowRecentThreshold(),
            ThresholdRule.ForecastAndThreshold => forecastRunsNow && AtOrBelowRecentThreshold(),
            ThresholdRule.ForecastBounds => now <= ForecastBoundsThreshold(s, region, unit, cells, threshold.Margin),
            _ => CheaperAhead(s, region, threshold.HorizonCells, recent.Quantile) < s.CellsNeeded,
        };
    }

    /// <summary>The threshold with L and U the least and greatest forecast over the job's window (now included), widened by the margin.</summary>
    private static double ForecastBoundsThreshold(JobSpace s, int region, int unit, int cells, double margin)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (var t = 0; t < s.End; t++)
        {
            if (!s.Blocked[region][t])
            {
                low = Math.Min(low, s.Intensity[region][t]);
                high = Math.Max(high, s.Intensity[region][t]);
            }
        }
        return PauseResumeThresholds.For(unit, cells, low * (1 - margin), high * (1 + margin));
    }

    /// <summary>
    /// Free cells before the deadline that look cheaper than now when the forecast is believed for <paramref name="horizon"/>
    /// cells and every cell after is valued at the recent quantile: past the horizon the forecast ranks cells little better
    /// than the time of day, and a single typical value at least says how often waiting has paid lately.
    /// </summary>
    private static int CheaperAhead(JobSpace s, int region, int horizon, double beyond)
    {
        var now = s.Intensity[region][0];
        var cheaper = 0;
        for (var t = 1; t < s.End; t++)
        {
            var value = t <= horizon ? s.Intensity[region][t] : beyond;
            cheaper += !s.Blocked[region][t] && value < now ? 1 : 0;
        }
        return cheaper;
    }
}
