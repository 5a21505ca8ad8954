namespace GreenTrain.Scheduler.Planning;

/// <summary>How <see cref="OnlineThreshold"/> decides a job's current cell (<see cref="CurrentCellThreshold"/>).</summary>
public enum ThresholdRule
{
    /// <summary>The online algorithm alone: run now when now is at or below the next cell's threshold, bounds from the recent past.</summary>
    Threshold,

    /// <summary>Run now when the point forecast runs now or now is at or below the threshold (the forecast may only make a job run sooner).</summary>
    ForecastOrThreshold,

    /// <summary>Run now only when the point forecast runs now and now is at or below the threshold (the threshold may only make a job wait).</summary>
    ForecastAndThreshold,

    /// <summary>The online algorithm with its bounds from the forecast over the job's window, widened by the margin.</summary>
    ForecastBounds,

    /// <summary>Now among the job's cheapest cells left, with the forecast trusted only to the horizon and each cell after it valued at the recent quantile.</summary>
    ForecastToHorizon,
}

/// <summary>What a region's recent intensity was: its least and greatest value and one quantile, over the days the caller chose.</summary>
public sealed record RecentIntensity(double Min, double Max, double Quantile);

/// <summary>
/// An online threshold policy for the current cell, in place of (or beside) the point forecast's ranking: the planner
/// asks, for each pausable single-region job with slack, whether it runs now by <see cref="Rule"/>, and plans the rest
/// of the work around that choice. <see cref="Recent"/> holds only what was known before now (the caller measures it),
/// so the policy sees no future; a job without slack runs as before, so deadlines are as safe as under the point plan.
/// </summary>
public sealed class OnlineThreshold
{
    public OnlineThreshold(ThresholdRule rule, IReadOnlyDictionary<string, RecentIntensity> recent, double margin = 0, int horizonCells = 0)
    {
        if (margin is < 0 or >= 1 || double.IsNaN(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin on the forecast's bounds must be in [0, 1).");
        }
        Rule = rule;
        Recent = recent;
        Margin = margin;
        HorizonCells = Math.Max(0, horizonCells);
    }

    public ThresholdRule Rule { get; }

    /// <summary>Per region, the recent past's bounds and quantile.</summary>
    public IReadOnlyDictionary<string, RecentIntensity> Recent { get; }

    /// <summary>Under <see cref="ThresholdRule.ForecastBounds"/>: L = forecast minimum x (1 - margin), U = maximum x (1 + margin).</summary>
    public double Margin { get; }

    /// <summary>Under <see cref="ThresholdRule.ForecastToHorizon"/>: cells after the current one whose forecast is trusted.</summary>
    public int HorizonCells { get; }
}
