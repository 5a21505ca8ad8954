using System.Diagnostics;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Providers;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// Replays jobs against recorded traces: each job is planned at its arrival on the forecast, then its
/// plan is priced on the actual trace (or, with --replan, every open job is replanned at every cell as the live
/// Scheduler does: <see cref="ReplanSimulation"/>); the oracle plans on the actual trace itself (perfect knowledge,
/// same policy), and the baseline runs each job at once in the first trace's region. Slots are
/// unlimited, as in the paper, so jobs are independent and planned in parallel.
/// </summary>
public static class BacktestRunner
{
    public static BacktestResult Run(BacktestSettings settings, IReadOnlyList<IntensitySeries> traces, IProgress<string>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var step = TimeSpan.FromMinutes(settings.StepMinutes ?? (int)traces[0].TypicalStep.TotalMinutes);
        var start = traces.Max(t => t.Start);
        var cells = (int)((traces.Min(t => t.End) - start) / step);
        var actualGrid = ForecastGrid.FromSeries(traces, start, step, cells);
        var regions = traces.Select(t => t.Region).ToArray();
        var policy = !settings.Pausable ? PlanningPolicy.Contiguous
            : regions.Length > 1 ? PlanningPolicy.RegionShifting : PlanningPolicy.Interruptible;
        var scheduling = Scheduling(settings, regions, policy, step);
        var costs = PlanningService.PauseCosts(scheduling, 1, 1);
        var cellsPerDay = (int)(TimeSpan.FromDays(1) / step);

        double runNow = 0, planned = 0, oracleGrams = 0;
        int misses = 0, jobCount = 0, skipped = 0;
        var share = regions.ToDictionary(r => r, _ => 0.0);
        var seeds = Enumerable.Range(settings.Seed, settings.Repeat).ToList();
        Dictionary<string, double>? forecastMape = null;
        for (var draw = settings.Seed; draw < settings.Seed + settings.JobDraws; draw++)
        {
            var generated = JobGenerator.Generate(settings, start, actualGrid.CellStart(cells), new Random(draw));
            var jobs = generated.Where(j => j.Arrival >= start && j.Deadline <= actualGrid.CellStart(cells)).ToList();
            jobCount += jobs.Count;
            skipped += generated.Count - jobs.Count;
            var oracle = PlanAll(jobs, actualGrid, actualGrid, regions, costs, policy, settings.Pausable);
            foreach (var seed in seeds)
            {
                progress?.Report($"job draw {draw}, noise seed {seed}: planning {jobs.Count} jobs on {settings.Forecast} forecasts");
                var random = new Random(seed * 7919 + draw * 104729 + 1);
                JobOutcome[] outcomes;
                if (settings.Replan)
                {
                    var simulation = new ReplanSimulation(actualGrid, regions, scheduling, Carbon(regions), settings.Pausable, settings.Risk,
                        settings.Scenarios, settings.Threshold);
                    (outcomes, forecastMape) = simulation.Run(jobs, oracle, region => NewModel(settings, actualGrid, region, random));
                }
                else
                {
                    var forecast = new ForecastGrid(start, step, regions.ToDictionary(r => r,
                        r => ForecastModel.Make(actualGrid.Regions[r], settings, cellsPerDay, random))).Smoothed(settings.SmoothCells);
                    outcomes = PlanAll(jobs, forecast, actualGrid, regions, costs, policy, settings.Pausable);
                }
                for (var i = 0; i < jobs.Count; i++)
                {
                    runNow += outcomes[i].RunNowGrams;
                    planned += outcomes[i].Grams;
                    oracleGrams += oracle[i].Grams;
                    misses += outcomes[i].MissedDeadline ? 1 : 0;
                    foreach (var (region, hours) in outcomes[i].HoursByRegion)
                    {
                        share[region] += hours;
                    }
                }
            }
        }
        var totalHours = share.Values.Sum();
        return new BacktestResult(settings.Scenario, regions, policy.ToString(), settings.Forecast == "noisy" ? $"noisy:{settings.NoiseFraction}" : settings.Forecast,
            settings.Pausable, (int)step.TotalMinutes, seeds, settings.JobDraws, jobCount, skipped,
            Math.Round(runNow, 1), Math.Round(planned, 1), Math.Round(oracleGrams, 1),
            Math.Round(100 * (1 - planned / runNow), 2), Math.Round(100 * (1 - oracleGrams / runNow), 2), misses,
            regions.Length > 1 ? share.ToDictionary(p => p.Key, p => Math.Round(p.Value / totalHours, 4)) : null,
            Math.Round(watch.Elapsed.TotalSeconds, 2), settings.Replan, settings.Replan ? settings.Risk : null, forecastMape,
            settings.Forecast == "builtin" ? BuiltinVariants.Names[(int)settings.Variant] : null,
            settings.Replan ? settings.Scenarios?.ToString() : null,
            settings.Replan ? settings.Threshold?.ToString() : null);
    }

    /// <summary>
    /// The Scheduler's options for this back-test: its policy, a cell of the trace's step, and its pause costs (a pause
    /// and resume split evenly between checkpoint and restore); slots are unlimited (0), as in the paper, so jobs are
    /// independent.
    /// </summary>
    private static SchedulerOptions Scheduling(BacktestSettings settings, string[] regions, PlanningPolicy policy, TimeSpan step) => new()
    {
        Policy = policy,
        StepMinutes = (int)step.TotalMinutes,
        Slots = regions.ToDictionary(r => r, _ => 0, StringComparer.OrdinalIgnoreCase),
        CheckpointKWh = settings.PauseKWh / 2,
        ResumeKWh = settings.PauseKWh / 2,
        MigrationKWh = settings.MigrationKWh,
    };

    /// <summary>The carbon options the replan reads: the trace regions, the live default horizon, grid time as wall time (no replay speed-up).</summary>
    private static CarbonOptions Carbon(string[] regions) => new()
    {
        Regions = [.. regions],
        HorizonHours = ForecastHorizon.TotalHours,
        Replay = new TraceReplayOptions { SpeedUp = 1 },
    };

    /// <summary>The forecaster a replanning back-test gives each region: the live built-in one, persistence, or the trace itself.</summary>
    private static IForecastModel NewModel(BacktestSettings settings, ForecastGrid actual, string region, Random random)
    {
        var cellsPerDay = (int)Math.Round(TimeSpan.FromDays(1) / actual.Step);
        var horizon = (int)Math.Round(ForecastHorizon / actual.Step);
        return settings.Forecast switch
        {
            "builtin" => BlendedForecaster.Builtin(actual.Start, actual.Step, horizon, settings.Variant),
            "persistence" => new SeasonalNaive(cellsPerDay, horizon),
            _ => new TraceLookahead(settings.Forecast == "noisy"
                ? ForecastModel.Make(actual.Regions[region], settings, cellsPerDay, random) : actual.Regions[region], cellsPerDay, horizon),
        };
    }

    /// <summary>How far the replanning back-test's forecasters look ahead, as the live Scheduler's default horizon (Carbon:HorizonHours).</summary>
    private static readonly TimeSpan ForecastHorizon = TimeSpan.FromHours(48);

    internal static JobOutcome[] PlanAll(List<SimulatedJob> jobs, ForecastGrid forecast, ForecastGrid actual, string[] regions,
        JobCosts costs, PlanningPolicy policy, bool pausable)
    {
        var outcomes = new JobOutcome[jobs.Count];
        var forecastSlots = new SlotUsage(forecast.Cells, null);
        var actualSlots = new SlotUsage(actual.Cells, null);
        Parallel.For(0, jobs.Count, i =>
        {
            var job = jobs[i];
            // The first region is home: running at once happens there.
            var planningJob = new PlanningJob($"{job.Id}", job.Duration.TotalHours, job.Duration, job.Deadline, pausable, regions, costs,
                JobPhase.Waiting, CurrentRegion: regions[0]);
            var space = new JobSpace(planningJob, forecast, job.Arrival, forecastSlots);
            var (cells, plan) = CarbonPlanner.PlanOne(space, forecast, policy);
            var actualSpace = new JobSpace(planningJob, actual, job.Arrival, actualSlots);
            var grams = CellAssignment.Price(cells, actualSpace).Grams;
            var runNow = CellAssignment.Price(CarbonPlanner.RunAtOnce(actualSpace, actual), actualSpace).Grams;
            var hours = cells.GroupBy(c => regions[c.Region]).ToDictionary(g => g.Key, g => g.Count() * forecast.Step.TotalHours);
            outcomes[i] = new JobOutcome(grams, runNow, !plan.MeetsDeadline, hours);
        });
        return outcomes;
    }
}
