namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// Plans every job at once against the forecasts: each job gets the least-emission intervals that meet its
/// deadline under the policy, counting pause and move energy. Jobs compete for trainer slots, so they are
/// planned tightest-first (least slack), and each plan blocks the cells where it fills a region's slots.
/// Pure and stateless: replanning after a new forecast or a progress report is calling it again.
/// </summary>
public static class CarbonPlanner
{
    public static IReadOnlyList<JobPlan> Plan(
        ForecastGrid grid,
        DateTimeOffset now,
        IReadOnlyList<PlanningJob> jobs,
        PlanningPolicy policy,
        IReadOnlyDictionary<string, int>? slotsPerRegion = null,
        ForecastScenarios? scenarios = null,
        OnlineThreshold? threshold = null)
    {
        var vote = scenarios is null ? null : new CurrentCellVote(scenarios);
        var usage = new SlotUsage(grid.Cells, slotsPerRegion);
        var plans = new JobPlan[jobs.Count];
        var spaces = new JobSpace?[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            spaces[i] = Isolated(jobs[i], policy, plans, i, () => new JobSpace(jobs[i], grid, now, usage));
        }
        var order = Enumerable.Range(0, spaces.Length).Where(i => spaces[i] is not null)
            .OrderByDescending(i => spaces[i]!.IsRunning && !spaces[i]!.Job.Pausable)
            .ThenBy(i => spaces[i]!.End - spaces[i]!.First - spaces[i]!.CellsNeeded)
            .ThenBy(i => spaces[i]!.Job.Id, StringComparer.Ordinal);
        foreach (var i in order)
        {
            var space = spaces[i]!;
            var planned = Isolated<(List<PlannedCell>, JobPlan)?>(space.Job, policy, plans, i, () => PlanOne(space, grid, policy, vote, threshold));
            if (planned is var (cells, plan))
            {
                foreach (var cell in cells)
                {
                    usage.Take(space.Regions[cell.Region], cell.Cell);
                }
                plans[i] = plan;
            }
        }
        return plans;
    }

    /// <summary>
    /// Runs one job's part of planning; when it throws (figures past what the arithmetic holds), that job alone gets an
    /// unplannable plan and the others are planned as usual: one bad record must not stop planning for everyone.
    /// </summary>
    private static T? Isolated<T>(PlanningJob job, PlanningPolicy policy, JobPlan[] plans, int index, Func<T> part)
    {
        try
        {
            return part();
        }
        catch (Exception ex) when (ex is ArithmeticException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            plans[index] = JobPlan.Unplannable(job.Id, policy, ex.Message);
            return default;
        }
    }

    internal static (List<PlannedCell> Cells, JobPlan Plan) PlanOne(JobSpace s, ForecastGrid grid, PlanningPolicy policy, CurrentCellVote? vote = null,
        OnlineThreshold? threshold = null)
    {
        var job = s.Job;
        if (s.Regions.Length == 0)
        {
            return ([], new JobPlan(job.Id, [], 0, 0, false, policy, 0, 0,
                $"none of the allowed regions [{string.Join(", ", job.AllowedRegions)}] has a forecast"));
        }
        var runNow = RunAtOnce(s, grid);
        var runNowGrams = CellAssignment.Price(runNow, s).Grams;
        var used = job.Pausable ? policy : PlanningPolicy.Contiguous;
        List<PlannedCell>? cells;
        string? reason = null;
        if (s.IsRunning && !job.Pausable)
        {
            (cells, reason) = (runNow, "cannot pause, so it runs on where it is");
        }
        else if (s.End - s.First < s.CellsNeeded)
        {
            var left = grid.Step * Math.Max(0, s.End - s.First);
            (cells, reason) = (runNow, !job.HasDeadline
                ? $"its {job.RemainingDuration.TotalHours:0.##} h of work are longer than the {left.TotalHours:0.##} h the planner looks ahead " +
                  "(Carbon:HorizonHours), so it runs at once"
                : $"deadline {job.Deadline:yyyy-MM-dd HH:mm}Z cannot be met: {job.RemainingDuration.TotalHours:0.##} h of work remain " +
                $"and only {left.TotalHours:0.##} h are left, so it runs at once");
        }
        else
        {
            cells = Solve(s, used);
            if (cells is null)
            {
                (cells, reason) = (runNow, "no trainer slot is free long enough before the deadline, so it runs at once");
            }
            else if (vote is not null && MayDecideCurrentCell(s, used))
            {
                (cells, reason) = DecideNowUnderError(s, used, cells, vote);
            }
            else if (threshold is not null && MayDecideCurrentCell(s, used))
            {
                (cells, reason) = DecideNowByThreshold(s, used, cells, threshold);
            }
        }
        var (grams, pauses, migrations) = CellAssignment.Price(cells, s);
        var intervals = ToIntervals(cells, s, grid);
        var meets = intervals.Count > 0 && intervals[^1].End <= job.Deadline;
        return (cells, new JobPlan(job.Id, intervals, grams, runNowGrams, meets, used, pauses, migrations, reason));
    }

    /// <summary>
    /// Runs or pauses the current cell as the forecast-error scenarios vote rather than as the point forecast ranks it,
    /// and plans the rest of the work around that choice. Only a job with slack left is asked (one without must run now
    /// whatever the vote), and only one that may pause, in one region: a contiguous run has no cheapest cells to be among,
    /// and what a vote means for a move between regions is not settled. A scenario votes to wait only when it finds at
    /// least the work's cells ahead cheaper than now, so enough cells are left and the deadline is as safe as under the
    /// point plan.
    /// </summary>
    private static (List<PlannedCell> Cells, string? Reason) DecideNowUnderError(JobSpace s, PlanningPolicy used, List<PlannedCell> cells, CurrentCellVote vote)
    {
        if (vote.RunsNow(s, 0) is not var (run, share))
        {
            return (cells, null);
        }
        var plannedNow = cells.Count > 0 && cells[0].Cell == s.First;
        if (run == plannedNow)
        {
            return (cells, null);
        }
        return PlanAround(s, used, cells, run, $": now is among its cheapest cells in {share:P0} of the forecast-error scenarios");
    }

    /// <summary>
    /// Runs or pauses the current cell as the online threshold rule says, and plans the rest of the work around that
    /// choice; asked of the same jobs as the scenario vote, for the same reasons. Waiting is only chosen with slack left
    /// (the caller checks), and a blocked current cell leaves at least the work's cells before the deadline, so the
    /// solver always finds the rest a place and the deadline is as safe as under the point plan.
    /// </summary>
    private static (List<PlannedCell> Cells, string? Reason) DecideNowByThreshold(JobSpace s, PlanningPolicy used, List<PlannedCell> cells, OnlineThreshold threshold)
    {
        var plannedNow = cells.Count > 0 && cells[0].Cell == s.First;
        if (CurrentCellThreshold.RunsNow(s, 0, plannedNow, threshold) is not { } run || run == plannedNow)
        {
            return (cells, null);
        }
        return PlanAround(s, used, cells, run, $" by the online threshold rule ({threshold.Rule})");
    }

    /// <summary>
    /// Whether a rule other than the point forecast's ranking may decide the current cell: a job with slack left (one
    /// without must run now), that may pause (a contiguous run has no cheapest cells to be among), in one region (what
    /// such a rule means for a move between regions is not settled).
    /// </summary>
    private static bool MayDecideCurrentCell(JobSpace s, PlanningPolicy used) =>
        used != PlanningPolicy.Contiguous && s.Regions.Length == 1 && s.End - s.First > s.CellsNeeded;

    /// <summary>The rest of the work planned around running (or not) the current cell, the reason "runs now" or "waits now" followed by <paramref name="why"/>; the point plan where no plan fits.</summary>
    private static (List<PlannedCell> Cells, string? Reason) PlanAround(JobSpace s, PlanningPolicy used, List<PlannedCell> pointPlan, bool run, string why) =>
        Solve(s.WithCurrentCell(run), used) is { } decided ? (decided, $"{(run ? "runs" : "waits")} now{why}") : (pointPlan, null);

    private static List<PlannedCell>? Solve(JobSpace s, PlanningPolicy used) => used switch
    {
        PlanningPolicy.Contiguous => ContiguousWindow.Solve(s, Enumerable.Range(0, s.Regions.Length).ToArray()),
        PlanningPolicy.Interruptible => BestSingleRegion(s),
        _ => SegmentedSchedule.Solve(s, Enumerable.Range(0, s.Regions.Length).ToArray()),
    };

    /// <summary>What running at once means: from the first free moment, without a break, where the job is (else the cleanest region now).</summary>
    internal static List<PlannedCell> RunAtOnce(JobSpace s, ForecastGrid grid)
    {
        var first = Math.Min(s.First, grid.Cells - 1);
        var region = s.StartRegion >= 0 ? s.StartRegion
            : Enumerable.Range(0, s.Regions.Length).MinBy(r => s.Intensity[r][first]);
        var last = Math.Min(grid.Cells, first + s.CellsNeeded);
        return Enumerable.Range(first, last - first).Select(t => new PlannedCell(t, region)).ToList();
    }

    private static List<PlannedCell>? BestSingleRegion(JobSpace s)
    {
        List<PlannedCell>? best = null;
        var bestGrams = double.PositiveInfinity;
        for (var r = 0; r < s.Regions.Length; r++)
        {
            var cells = SegmentedSchedule.Solve(s, [r]);
            if (cells is not null && CellAssignment.Price(cells, s).Grams is var grams && grams < bestGrams)
            {
                (best, bestGrams) = (cells, grams);
            }
        }
        return best;
    }

    /// <summary>
    /// Joins consecutive cells of one region into intervals; the last one ends when the remaining work does, but lasts at
    /// least a quarter of a cell: a job whose last report says it is all but done would otherwise get an interval of
    /// milliseconds, which the dispatcher, running a moment after it starts, would find already over, plan after plan.
    /// </summary>
    private static List<PlannedInterval> ToIntervals(List<PlannedCell> cells, JobSpace s, ForecastGrid grid)
    {
        var intervals = new List<PlannedInterval>();
        for (var i = 0; i < cells.Count;)
        {
            var j = i;
            while (j + 1 < cells.Count && cells[j + 1].Cell == cells[j].Cell + 1 && cells[j + 1].Region == cells[i].Region)
            {
                j++;
            }
            intervals.Add(new PlannedInterval(s.Regions[cells[i].Region], grid.CellStart(cells[i].Cell), grid.CellStart(cells[j].Cell + 1)));
            i = j + 1;
        }
        var spare = grid.Step * cells.Count - s.Job.RemainingDuration;
        if (intervals.Count > 0 && spare > TimeSpan.Zero && spare < intervals[^1].End - intervals[^1].Start)
        {
            var last = intervals[^1];
            intervals[^1] = last with { End = last.End - TimeSpan.FromTicks(Math.Min(spare.Ticks, (last.End - last.Start - grid.Step / 4).Ticks)) };
        }
        return intervals;
    }
}
