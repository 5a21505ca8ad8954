using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// `backtest --replan`: the live policy, cell by cell. At each cell the current cell's intensity is observed, each
/// region's forecaster (refit on the past only) forecasts the cells ahead, and every open job is replanned through
/// <see cref="CarbonPlanner.Plan"/>, the planner the Scheduler runs, with the same pause and migration costs. A job runs
/// in this cell when its new plan starts now; what it runs is priced on the actual trace, pause and move energies
/// included, as <see cref="CellAssignment"/> prices a plan. Replanning keeps the remaining work feasible at every cell,
/// so no forecast, however wrong, can make a job miss its deadline.
/// </summary>
internal sealed class ReplanSimulation(ForecastGrid actual, string[] regions, JobCosts costs, PlanningPolicy policy, bool pausable, double risk)
{
    /// <summary>Horizons (hours) at which the forecasts the planner saw are scored for the result.</summary>
    public static readonly double[] ScoredHours = [1, 6, 24];

    private sealed class OpenJob(SimulatedJob job, int cellsNeeded)
    {
        public SimulatedJob Job { get; } = job;
        public int CellsLeft { get; set; } = cellsNeeded;
        public int LastRunCell { get; set; } = -2;
        public string? Region { get; set; }
        public double Grams { get; set; }
        public Dictionary<string, double> Hours { get; } = [];
    }

    public (JobOutcome[] Outcomes, Dictionary<string, double> ForecastMapePct) Run(
        IReadOnlyList<SimulatedJob> jobs, IReadOnlyList<JobOutcome> runAtOnce, Func<string, IForecastModel> newModel)
    {
        var step = actual.Step;
        var cellsPerDay = (int)Math.Round(TimeSpan.FromDays(1) / step);
        var models = regions.Select(newModel).ToArray();
        var horizon = models.Min(m => m.MaxHorizon);
        var scored = ScoredHours.Select(h => Math.Max(1, (int)Math.Round(h * cellsPerDay / 24))).ToArray();
        var errors = new double[scored.Length];
        var errorCounts = new int[scored.Length];
        var pending = new Queue<int>(Enumerable.Range(0, jobs.Count).OrderBy(i => jobs[i].Arrival));
        var open = new List<(int Index, OpenJob State)>();
        var outcomes = new JobOutcome[jobs.Count];
        var ahead = regions.Select(_ => new double[horizon + 1]).ToArray();
        for (var t = 0; t < actual.Cells; t++)
        {
            var now = actual.CellStart(t);
            for (var r = 0; r < regions.Length; r++)
            {
                var current = actual.Regions[regions[r]][t];
                models[r].Observe(current);
                PlanningForecast.Write(models[r], current, risk, ahead[r]);
                for (var k = 0; k < scored.Length; k++)
                {
                    if (t + scored[k] < actual.Cells && scored[k] <= horizon)
                    {
                        var truth = actual.Regions[regions[r]][t + scored[k]];
                        errors[k] += Math.Abs(ahead[r][scored[k]] - truth) / Math.Max(truth, 1e-9);
                        errorCounts[k]++;
                    }
                }
            }
            while (pending.Count > 0 && actual.CellAtOrAfter(jobs[pending.Peek()].Arrival) <= t)
            {
                var i = pending.Dequeue();
                open.Add((i, new OpenJob(jobs[i], Math.Max(1, (int)Math.Ceiling(jobs[i].Duration / step - 1e-9)))));
            }
            if (open.Count == 0)
            {
                continue;
            }
            var grid = PlanningGrid(now, t, open.Max(o => o.State.Job.Deadline), ahead, cellsPerDay);
            var planned = open.Select(o => ToPlanningJob(o.State, t, step)).ToList();
            var plans = CarbonPlanner.Plan(grid, now, planned, policy);
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
        var mape = ScoredHours.Select((h, k) => (h, k)).ToDictionary(p => $"{p.h}h", p => Math.Round(100 * errors[p.k] / Math.Max(1, errorCounts[p.k]), 2));
        return (outcomes, mape);
    }

    /// <summary>The grid the planner sees at cell t: the observed current cell, the forecast after it, persistence past the forecast's horizon.</summary>
    private ForecastGrid PlanningGrid(DateTimeOffset now, int t, DateTimeOffset lastDeadline, double[][] ahead, int cellsPerDay)
    {
        var cells = Math.Max(1, (int)Math.Ceiling((lastDeadline - now) / actual.Step - 1e-9));
        var values = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < regions.Length; r++)
        {
            var row = new double[cells];
            var known = Math.Min(cells, ahead[r].Length);
            ahead[r].AsSpan(0, known).CopyTo(row);
            row.AsSpan(known).Fill(double.NaN);
            SeasonalNaive.FillHoles(row, cellsPerDay, regions[r]);
            values[regions[r]] = row;
        }
        return new ForecastGrid(now, actual.Step, values);
    }

    private PlanningJob ToPlanningJob(OpenJob state, int t, TimeSpan step)
    {
        var phase = state.Region is null ? JobPhase.Waiting : state.LastRunCell == t - 1 ? JobPhase.Running : JobPhase.Paused;
        var remaining = step * state.CellsLeft;
        // A job not yet started counts as being in the first region: running at once happens there.
        return new PlanningJob(state.Job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), remaining.TotalHours, remaining,
            state.Job.Deadline, pausable, regions, costs, phase, state.Region ?? regions[0]);
    }

    /// <summary>Runs cell t in a region, priced on the actual trace with a pause's or move's energy where the run resumes or moves.</summary>
    private void RunCell(OpenJob state, string region, int t)
    {
        var intensity = actual.Regions[region][t];
        var extraKWh = state.Region is null ? 0
            : !state.Region.Equals(region, StringComparison.OrdinalIgnoreCase) ? costs.MoveKWh
            : state.LastRunCell != t - 1 ? costs.PauseKWh
            : 0;
        state.Grams += (actual.Step.TotalHours + extraKWh) * intensity;
        state.Hours[region] = state.Hours.GetValueOrDefault(region) + actual.Step.TotalHours;
        state.Region = region;
        state.LastRunCell = t;
        state.CellsLeft--;
    }
}
