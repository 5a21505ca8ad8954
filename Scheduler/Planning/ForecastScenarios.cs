namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// How wrong the forecast may be, as the planner is told it: per region, a few error trajectories, each the relative
/// error (actual / forecast - 1) of one earlier forecast at every horizon, index h being h cells after the current
/// cell (index 0, the current cell, is observed and never wrong). A trajectory is kept whole, so an error that lasts
/// hours stays one error across them rather than noise that averages out. With these the planner decides the current
/// cell under the error instead of on the point forecast (<see cref="CurrentCellVote"/>): the job runs now when now is
/// among its cheapest cells left before the deadline in at least <see cref="RunShare"/> of the scenarios.
/// </summary>
public sealed class ForecastScenarios
{
    public ForecastScenarios(IReadOnlyDictionary<string, double[][]> relativeErrors, double runShare = 0.5)
    {
        if (runShare is <= 0 or > 1 || double.IsNaN(runShare))
        {
            throw new ArgumentOutOfRangeException(nameof(runShare), runShare, "The share of scenarios that runs a cell must be in (0, 1].");
        }
        RelativeErrors = relativeErrors;
        RunShare = runShare;
    }

    /// <summary>Per region, the scenarios' relative errors by horizon in cells; horizons past a trajectory's end count as no error.</summary>
    public IReadOnlyDictionary<string, double[][]> RelativeErrors { get; }

    /// <summary>The least share of scenarios in which now is among the cheapest cells for the job to run now.</summary>
    public double RunShare { get; }
}
