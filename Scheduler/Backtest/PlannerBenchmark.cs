using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Planning;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// `bench-planner [--jobs N] [--runs R] [--out FILE]`: times one planning pass over N jobs on a 7-day horizon at
/// 15-minute cells with the three embedded regions (DE, FR, GB, first week of March 2020), for each policy, and prints
/// a table (median and worst of R runs) and writes it to a results file. Jobs: 1-24 h long, deadlines 0-72 h after
/// their earliest finish, 70% pausable, small pause and move energies, 150 slots per region.
/// </summary>
public static class PlannerBenchmark
{
    public static Command Create()
    {
        var jobs = CliOptions.Int("--jobs", "jobs in the planning pass", 1000);
        var runs = CliOptions.Int("--runs", "timed runs per policy, after one warm-up", 7);
        var output = new Option<string>("--out") { Description = "results file", HelpName = "FILE", DefaultValueFactory = _ => "planner-benchmark.txt" };
        var command = new Command("bench-planner", "Time one planning pass per policy on a 7-day, 15-minute, three-region horizon; prints a table and writes it to a file.")
        {
            jobs, runs, output,
        };
        command.SetAction(parsed => Run(parsed.GetValue(jobs), parsed.GetValue(runs), parsed.GetValue(output)!, parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(int jobsCount, int runs, string output, TextWriter console)
    {
        var start = new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromMinutes(15);
        var cells = 7 * 96;
        var grid = ForecastGrid.FromSeries(ShippedTraces.EmbeddedRegions.Select(ShippedTraces.ReadEmbedded), start, step, cells);
        var jobs = MakeJobs(jobsCount, start, new Random(42));
        var slots = ShippedTraces.EmbeddedRegions.ToDictionary(r => r, _ => 150);

        var lines = new List<string>
        {
            $"planner benchmark: {jobsCount} jobs, 7-day horizon, 15-min cells ({cells}), regions {string.Join("/", grid.Regions.Keys)}, {runs} runs each",
            $"{"policy",-16} {"median ms",10} {"max ms",10} {"median cpu ms",14} {"planned/run-now",16} {"deadlines met",14}",
        };
        foreach (var policy in Enum.GetValues<PlanningPolicy>())
        {
            IReadOnlyList<JobPlan> plans = [];
            var times = new List<double>();
            var cpu = new List<double>();
            var process = Process.GetCurrentProcess();
            for (var run = 0; run < runs + 1; run++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                plans = CarbonPlanner.Plan(grid, start, jobs, policy, slots);
                watch.Stop();
                process.Refresh();
                if (run > 0) // the first run pays for JIT compilation
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    // CPU time too: on a shared machine the wall clock also counts other processes' turns.
                    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                }
            }
            times.Sort();
            cpu.Sort();
            var ratio = plans.Sum(p => p.ExpectedGrams) / plans.Sum(p => p.RunNowGrams);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{policy,-16} {times[times.Count / 2],10:F1} {times[^1],10:F1} {cpu[cpu.Count / 2],14:F1} {ratio,16:F3} {plans.Count(p => p.MeetsDeadline),8}/{plans.Count}"));
        }
        foreach (var line in lines)
        {
            console.WriteLine(line);
        }
        File.WriteAllLines(output, lines);
        console.WriteLine($"written to {Path.GetFullPath(output)}");
        return ExitCodes.Done;
    }

    private static List<PlanningJob> MakeJobs(int count, DateTimeOffset start, Random random)
    {
        string[] regions = ["DE", "FR", "GB"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var duration = TimeSpan.FromHours(1 + random.Next(24));
            var arrival = start.AddMinutes(15 * random.Next(96 * 3));
            var allowed = random.NextDouble() < 0.5 ? regions : [regions[random.Next(3)]];
            return new PlanningJob($"job-{i}", duration.TotalHours * 0.3, duration, arrival + duration + TimeSpan.FromHours(random.Next(73)),
                Pausable: random.NextDouble() < 0.7, allowed, new JobCosts(0.01, 0.01, 0.05), NotBefore: arrival);
        }).ToList();
    }
}
