using GreenTrain.ServiceDefaults.Carbon;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Cli;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Backtest;

public class BacktestTests
{
    private static readonly DateTimeOffset March = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2020, 3, 6, 18, 2020, 3, 7)]  // Friday evening: the paper's rule gives Saturday 09:00
    [InlineData(2020, 3, 7, 12, 2020, 3, 9)]  // Saturday: Monday 09:00
    [InlineData(2020, 3, 8, 12, 2020, 3, 9)]  // Sunday: Monday 09:00
    [InlineData(2020, 3, 10, 3, 2020, 3, 10)] // Tuesday before 09:00: the same morning
    public void Next_workday_deadline_follows_the_published_rule(int y, int m, int d, int h, int dy, int dm, int dd)
    {
        JobGenerator.NextWorkdayNine(new DateTimeOffset(y, m, d, h, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(dy, dm, dd, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_finish_inside_working_hours_leaves_no_slack()
    {
        var finish = new DateTimeOffset(2020, 3, 10, 14, 30, 0, TimeSpan.Zero);
        JobGenerator.NextWorkdayNine(finish).Should().Be(finish);
    }

    [Fact]
    public void With_a_perfect_forecast_each_plan_emits_the_least_its_window_allows()
    {
        var trace = ShippedTraces.ReadEmbedded("DE").Slice(March, March.AddDays(21));
        const double PauseKWh = 0.5; // half an hour of the job's running energy: pausing pays only for a clearly cleaner stretch
        var settings = BacktestSettings.Parse(["--trace", "de", "--job-hours", "6", "--slack-hours", "18", "--forecast", "perfect",
            "--pausable", "--pause-kwh", "0.5"]);

        var result = BacktestRunner.Run(settings, [trace]);

        // The least-emitting schedule of every job, found here from the trace's own values by trying every choice of
        // cells (not with the planner), for the jobs the back-test draws: those that arrive and end inside the trace.
        var step = trace.TypicalStep;
        trace.Intervals.Zip(trace.Intervals.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start && p.First.Duration == step,
            "one value per cell, so the trace's intervals are the planner's cells");
        var jobs = JobGenerator.Generate(settings, trace.Start, trace.End, new Random(settings.Seed))
            .Where(j => j.Arrival >= trace.Start && j.Deadline <= trace.End).ToList();
        var least = jobs.Sum(job =>
        {
            var window = trace.Intervals.Where(i => i.Start >= job.Arrival && i.End <= job.Deadline).Select(i => i.GramsPerKWh).ToArray();
            var cells = (int)Math.Ceiling(job.Duration / step - 1e-9);
            return LeastGrams(window, cells, job.Duration.TotalHours / cells, PauseKWh); // 1 kW: a job's kWh are its hours
        });

        result.Jobs.Should().Be(jobs.Count).And.BeGreaterThan(80);
        result.PlannedGrams.Should().BeApproximately(least, 0.1 + 1e-9 * least, "the planner, told the truth, finds the optimum");
        result.OracleGrams.Should().BeApproximately(least, 0.1 + 1e-9 * least);
        result.SavingsPct.Should().BeGreaterThan(5);
        result.DeadlineMisses.Should().Be(0);
    }

    /// <summary>
    /// Dynamic programming over the window's cells: the least grams of running <paramref name="needed"/> of them, each at
    /// <paramref name="kwhPerCell"/>, plus <paramref name="pauseKWh"/> at the intensity of each cell a run resumes in.
    /// </summary>
    private static double LeastGrams(double[] window, int needed, double kwhPerCell, double pauseKWh)
    {
        const int NotStarted = 0, RanLast = 1, Paused = 2;
        var best = Unreachable(needed);
        best[0, NotStarted] = 0;
        foreach (var intensity in window)
        {
            var next = Unreachable(needed);
            for (var done = 0; done <= needed; done++)
            {
                for (var state = NotStarted; state <= Paused; state++)
                {
                    var grams = best[done, state];
                    if (double.IsPositiveInfinity(grams))
                    {
                        continue;
                    }
                    var idle = state == NotStarted ? NotStarted : Paused;
                    next[done, idle] = Math.Min(next[done, idle], grams);
                    if (done < needed)
                    {
                        var run = grams + kwhPerCell * intensity + (state == Paused ? pauseKWh * intensity : 0);
                        next[done + 1, RanLast] = Math.Min(next[done + 1, RanLast], run);
                    }
                }
            }
            best = next;
        }
        return Math.Min(best[needed, RanLast], best[needed, Paused]);
    }

    private static double[,] Unreachable(int needed)
    {
        var table = new double[needed + 1, 3];
        for (var done = 0; done <= needed; done++)
        {
            for (var state = 0; state < 3; state++)
            {
                table[done, state] = double.PositiveInfinity;
            }
        }
        return table;
    }

    [Fact]
    public void Noisy_forecasts_cost_some_of_the_savings_but_never_a_deadline()
    {
        var trace = ShippedTraces.ReadEmbedded("GB").Slice(March, March.AddDays(21));
        var noisy = BacktestSettings.Parse(["--trace", "gb", "--job-hours", "4-12", "--slack-hours", "12", "--forecast", "noisy:0.3", "--pausable", "--seed", "3"]);

        var result = BacktestRunner.Run(noisy, [trace]);

        result.PlannedGrams.Should().BeGreaterThan(result.OracleGrams);
        result.PlannedGrams.Should().BeLessThan(result.RunNowGrams);
        result.DeadlineMisses.Should().Be(0);
    }

    [Fact]
    public void Several_traces_shift_work_between_regions_and_report_each_share()
    {
        var de = ShippedTraces.ReadEmbedded("DE").Slice(March, March.AddDays(14));
        var fr = ShippedTraces.ReadEmbedded("FR").Slice(March, March.AddDays(14));
        var settings = BacktestSettings.Parse(["--trace", "de", "--trace", "fr", "--forecast", "persistence", "--pausable", "--migration-kwh", "0.5"]);

        var result = BacktestRunner.Run(settings, [de, fr]);

        result.Policy.Should().Be("RegionShifting");
        result.RegionShare!.Values.Sum().Should().BeApproximately(1, 1e-3);
        result.RegionShare["FR"].Should().BeGreaterThan(0.5); // France's nuclear grid is far cleaner than Germany's
        result.SavingsPct.Should().BeGreaterThan(50);
    }

    [Fact]
    public void Command_prints_one_json_object_with_the_promised_fields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bt-{Guid.NewGuid():N}_trace.csv");
        var trace = ShippedTraces.ReadEmbedded("FR").Slice(March, March.AddDays(10));
        File.WriteAllLines(path, ["Time,Carbon Intensity", .. trace.Intervals.Select(i => $"{i.Start:yyyy-MM-dd HH:mm:ss},{i.GramsPerKWh}")]);
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            var code = CliApp.Run(SchedulerCommandLine.Create(_ => throw new InvalidOperationException("backtest must not start the service")),
                ["backtest", "--trace", path, "--job-hours", "3", "--slack-hours", "9", "--arrivals", "hourly", "--forecast", "noisy:0.05"], output, error);
            code.Should().Be(0, error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
        using var json = JsonDocument.Parse(output.ToString());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().Contain(["jobs", "runNowGrams", "plannedGrams", "oracleGrams", "savingsPct", "oracleSavingsPct", "deadlineMisses"]);
    }

    [Theory]
    [InlineData(new[] { "--forecast", "perfect" }, "Name at least one --trace*")]
    [InlineData(new[] { "--trace", "x.csv", "--forecast", "psychic" }, "--forecast 'psychic'*")]
    [InlineData(new[] { "--trace", "x.csv", "--arrivals", "never" }, "--arrivals 'never'*")]
    [InlineData(new[] { "--trace", "x.csv", "--jobs", "2.7" }, "--jobs must be a whole number of at least 1, not '2.7'.")]
    [InlineData(new[] { "--trace", "x.csv", "--job-hours", "9-4" }, "--job-hours '9-4'*")]
    public void Bad_command_lines_say_which_option_is_wrong(string[] args, string message)
    {
        var act = () => BacktestSettings.Parse(args);
        act.Should().Throw<BacktestUsageException>().WithMessage(message);
    }
}
