namespace GreenTrain.Scheduler.Planning;

/// <summary>How the forecast-error scenarios decide a job's current cell (<see cref="CurrentCellVote"/>).</summary>
public enum ScenarioRule
{
    /// <summary>Run now when now is among the job's cheapest cells left in at least <see cref="ForecastScenarios.RunShare"/> of the scenarios.</summary>
    Vote,

    /// <summary>Run now when now is cheaper than the mean over the scenarios of the job's k-th cheapest cell ahead (the expected cost of waiting).</summary>
    ExpectedCost,
}

/// <summary>
/// How wrong the forecast may be, as the planner is told it: per region, a few error trajectories, each the relative
/// error (actual / forecast - 1) of one earlier forecast at every horizon, index h being h cells after the current
/// cell (index 0, the current cell, is observed and never wrong). A trajectory is kept whole, so an error that lasts
/// hours stays one error across them rather than noise that averages out. With these the planner decides the current
/// cell under the error instead of on the point forecast (<see cref="CurrentCellVote"/>).
/// </summary>
public sealed class ForecastScenarios
{
    public ForecastScenarios(IReadOnlyDictionary<string, double[][]> relativeErrors, ScenarioRule rule = ScenarioRule.Vote, double runShare = 0.5)
    {
        if (runShare is <= 0 or > 1 || double.IsNaN(runShare))
        {
            throw new ArgumentOutOfRangeException(nameof(runShare), runShare, "The share of scenarios that runs a cell must be in (0, 1].");
        }
        RelativeErrors = relativeErrors;
        Rule = rule;
        RunShare = runShare;
    }

    /// <summary>Per region, the scenarios' relative errors by horizon in cells; horizons past a trajectory's end count as no error.</summary>
    public IReadOnlyDictionary<string, double[][]> RelativeErrors { get; }

    public ScenarioRule Rule { get; }

    /// <summary>Under <see cref="ScenarioRule.Vote"/>: the least share of scenarios in which now is among the cheapest cells for the job to run now.</summary>
    public double RunShare { get; }
}
