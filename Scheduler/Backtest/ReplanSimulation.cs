using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Planning;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// `backtest --replan`: the live policy, cell by cell. At each cell the current cell's intensity is observed, each
/// region's forecaster (refit on the past only) forecasts the cells ahead, and every open job is replanned by
/// <see cref="PlanningService.Plan"/>, the function the Scheduler's replan job runs, on the job's experiment record and
/// the regions' forecast series, with the Scheduler's options (policy, pause and migration costs). A job runs in this
/// cell when its new plan starts now; what it runs is priced on the actual trace, the pause's or move's energy included
/// where the run resumes or moves, as <see cref="CellAssignment"/> prices a plan. Replanning keeps the remaining work
/// feasible at every cell, so no forecast, however wrong, can make a job miss its deadline.
/// With <c>decideUnderError</c>, the planner also gets each region's ensemble of its forecast's past errors
/// (<see cref="ForecastErrorRecord"/>) and decides the current cell under them (<see cref="ForecastScenarios"/>).
/// With <c>byThreshold</c>, it decides the current cell by an online threshold rule (<see cref="OnlineThreshold"/>) whose
/// bounds are the last days of the trace up to now (<see cref="RecentActuals"/>).
/// </summary>
internal sealed class ReplanSimulation(ForecastGrid actual, string[] regions, SchedulerOptions scheduling, CarbonOptions carbon, bool pausable, double risk,
    ScenarioSettings? decideUnderError = null, ThresholdSettings? byThreshold = null)
{
    /// <summary>Horizons (hours) at which the forecasts the planner saw are scored for the result.</summary>
    public static readonly double[] ScoredHours = [1, 6, 24];

    public (JobOutcome[] Outcomes, Dictionary<string, double> ForecastMapePct) Run(
        IReadOnlyList<SimulatedJob> jobs, IReadOnlyList<JobOutcome> runAtOnce, Func<string, IForecastModel> newModel)
    {
        var step = actual.Step;
        var models = regions.Select(newModel).ToArray();
        var horizon = models.Min(m => m.MaxHorizon);
        var score = new ForecastScore(ScoredHours, models[0].CellsPerDay, horizon);
        var pending = new Queue<int>(Enumerable.Range(0, jobs.Count).OrderBy(i => jobs[i].Arrival));
        var open = new List<(int Index, SimulatedExperiment State)>();
        var outcomes = new JobOutcome[jobs.Count];
        var ahead = regions.Select(_ => new double[horizon + 1]).ToArray();
        var records = decideUnderError is { } d ? regions.Select(_ => new ForecastErrorRecord(models[0].CellsPerDay, horizon, d.Days)).ToArray() : null;
        var recent = byThreshold is { } b ? regions.Select(_ => new RecentActuals(b.Days * models[0].CellsPerDay)).ToArray() : null;
        for (var t = 0; t < actual.Cells; t++)
        {
            var now = actual.CellStart(t);
            for (var r = 0; r < regions.Length; r++)
            {
                var current = actual.Regions[regions[r]][t];
                models[r].Observe(current);
                PlanningForecast.Write(models[r], current, risk, ahead[r]);
                score.Add(ahead[r], actual.Regions[regions[r]], t);
                records?[r].Add(current, ahead[r]);
                recent?[r].Add(current);
            }
            while (pending.Count > 0 && actual.CellAtOrAfter(jobs[pending.Peek()].Arrival) <= t)
            {
                var i = pending.Dequeue();
                var cells = Math.Max(1, (int)Math.Ceiling(jobs[i].Duration / step - 1e-9));
                open.Add((i, new SimulatedExperiment(jobs[i], cells, step, regions, pausable)));
            }
            if (open.Count == 0)
            {
                continue;
            }
            var scenarios = records is null ? null : Scenarios(records, models[0].CellsPerDay);
            var threshold = recent is null ? null : Threshold(recent, models[0].CellsPerDay);
            var plans = PlanningService.Plan(open.Select(o => o.State.At(t)).ToList(), ForecastSeries(now, ahead), now, scheduling, carbon, scenarios, threshold);
            for (var j = open.Count - 1; j >= 0; j--)
            {
                var state = open[j].State;
                if (plans[j].Intervals is [var first, ..] && first.Start <= now)
                {
                    RunCell(state, first.Region, t);
                }
                if (state.CellsLeft == 0)
                {
                    var finish = actual.CellStart(state.LastRunCell + 1);
                    var index = open[j].Index;
                    outcomes[index] = new JobOutcome(state.Grams, runAtOnce[index].RunNowGrams, finish > state.Job.Deadline, state.Hours);
                    open.RemoveAt(j);
                }
            }
        }
        foreach (var (index, state) in open)
        {
            outcomes[index] = new JobOutcome(state.Grams, runAtOnce[index].RunNowGrams, true, state.Hours); // the trace ended first
        }
        return (outcomes, score.MapePct());
    }

    /// <summary>The error scenarios of each region's past forecasts for the decision now, shaped as the settings ask.</summary>
    private ForecastScenarios Scenarios(ForecastErrorRecord[] records, int cellsPerDay)
    {
        var d = decideUnderError!;
        var near = cellsPerDay / 12; // 2 h either side of this time of day
        var match = cellsPerDay / 4; // the next 6 h
        var errors = new Dictionary<string, double[][]>(StringComparer.OrdinalIgnoreCase);
        var lastCell = d.Hours is { } hours ? (int)Math.Round(hours * cellsPerDay / 24) : int.MaxValue;
        for (var r = 0; r < regions.Length; r++)
        {
            var trajectories = d.Analogs > 0 ? records[r].Analogs(d.Analogs, match, near) : records[r].Trajectories();
            foreach (var trajectory in trajectories)
            {
                for (var h = 0; h < trajectory.Length; h++)
                {
                    trajectory[h] = h <= lastCell ? trajectory[h] * d.ErrorScale : 0;
                }
            }
            errors[regions[r]] = trajectories;
        }
        return new ForecastScenarios(errors, d.Rule, d.RunShare);
    }

    /// <summary>The threshold rule for the decision now, its bounds and quantile from each region's recent actuals.</summary>
    private OnlineThreshold Threshold(RecentActuals[] recent, int cellsPerDay)
    {
        var b = byThreshold!;
        var summaries = new Dictionary<string, RecentIntensity>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < regions.Length; r++)
        {
            if (recent[r].Summary(b.Quantile) is { } summary)
            {
                summaries[regions[r]] = summary;
            }
        }
        return new OnlineThreshold(b.Rule, summaries, b.Margin, (int)Math.Round(b.Hours * cellsPerDay / 24));
    }

    /// <summary>
    /// What the forecast cache would hold at cell t: per region, the observed current cell and the forecast after it, as
    /// a series of intervals (the planner's grid fills past its end with persistence, as it does live).
    /// </summary>
    private List<IntensitySeries> ForecastSeries(DateTimeOffset now, double[][] ahead)
    {
        var series = new List<IntensitySeries>(regions.Length);
        for (var r = 0; r < regions.Length; r++)
        {
            var intervals = new IntensityInterval[ahead[r].Length];
            for (var h = 0; h < intervals.Length; h++)
            {
                var start = now + actual.Step * h;
                intervals[h] = new IntensityInterval(start, start + actual.Step, ahead[r][h], IntensitySignal.Average, "backtest forecast", regions[r]);
            }
            series.Add(new IntensitySeries(regions[r], intervals));
        }
        return series;
    }

    /// <summary>Runs cell t in a region, priced on the actual trace with a pause's or move's energy where the run resumes or moves.</summary>
    private void RunCell(SimulatedExperiment state, string region, int t)
    {
        var intensity = actual.Regions[region][t];
        var costs = PlanningService.PauseCosts(scheduling, state.Record.RemainingKWh, state.Record.RemainingHours);
        var extraKWh = state.Region is null ? 0
            : !state.Region.Equals(region, StringComparison.OrdinalIgnoreCase) ? costs.MoveKWh
            : state.LastRunCell != t - 1 ? costs.PauseKWh
            : 0;
        state.Grams += (actual.Step.TotalHours + extraKWh) * intensity;
        state.Ran(t, region, actual.Step.TotalHours);
    }
}
