using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.ServiceDefaults.Carbon;
namespace GreenTrain.Scheduler.Backtest;

/// <summary>A simulated job: when it arrives, how long it runs, when it must be done.</summary>
public sealed record SimulatedJob(int Id, DateTimeOffset Arrival, TimeSpan Duration, DateTimeOffset Deadline);

/// <summary>
/// Generates back-test jobs. `lwa` follows the ML-training scenario of Let's Wait Awhile (Wiesner et al.,
/// Middleware 2021) as its published simulation describes it: a fixed number of jobs spread uniformly at
/// random over the workdays of a year, each arriving at a random half hour between 09:00 and 16:30, with a
/// duration drawn uniformly from 4 h to 89.5 h in half-hour steps. The other patterns put one job at each
/// arrival moment. Arrival hours are UTC, the clock of the shipped traces.
/// </summary>
public static class JobGenerator
{
    public static List<SimulatedJob> Generate(BacktestSettings settings, DateTimeOffset traceStart, DateTimeOffset traceEnd, Random random)
    {
        if (settings.JobsFile is { } file)
        {
            return ReadJobs(file).Select((job, id) => new SimulatedJob(id, job.Arrival, job.Duration, Deadline(settings, job.Arrival, job.Duration))).ToList();
        }
        var arrivals = settings.Arrivals == "lwa"
            ? LwaArrivals(settings, traceStart, random)
            : RegularArrivals(settings.Arrivals, traceStart.Date.AddDays(1), traceEnd);
        var jobs = new List<SimulatedJob>(arrivals.Count);
        foreach (var arrival in arrivals)
        {
            var halfHours = (int)Math.Round((settings.JobHoursMax - settings.JobHoursMin) * 2);
            var hours = settings.JobHoursMin + (halfHours > 0 ? random.Next(halfHours + 1) / 2.0 : 0);
            var duration = TimeSpan.FromHours(hours);
            jobs.Add(new SimulatedJob(jobs.Count, arrival, duration, Deadline(settings, arrival, duration)));
        }
        return jobs;
    }

    private static DateTimeOffset Deadline(BacktestSettings settings, DateTimeOffset arrival, TimeSpan duration) =>
        settings.Deadline == DeadlineRule.NextWorkday
            ? NextWorkdayNine(arrival + duration)
            : arrival + duration + TimeSpan.FromHours(settings.SlackHours);

    /// <summary>Reads `arrival,durationMinutes` rows.</summary>
    public static List<(DateTimeOffset Arrival, TimeSpan Duration)> ReadJobs(string file)
    {
        if (!File.Exists(file))
        {
            throw new BacktestUsageException($"--jobs-file {file}: no such file.");
        }
        var jobs = new List<(DateTimeOffset, TimeSpan)>();
        var line = 1;
        foreach (var row in File.ReadLines(file).Skip(1))
        {
            line++;
            var fields = row.Split(',');
            if (fields.Length < 2 || !TraceValues.TryParseTime(fields[0], out var arrival)
                || !double.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var minutes) || minutes <= 0)
            {
                throw new BacktestUsageException($"{file}:{line}: expected `arrival,durationMinutes`, found '{row}'.");
            }
            jobs.Add((arrival, TimeSpan.FromMinutes(minutes)));
        }
        return jobs;
    }

    /// <summary>
    /// The paper's deadline rule, applied to the job's earliest finish: finishing on a Saturday moves the
    /// deadline to Monday 09:00, on a Sunday or after 17:00 to 09:00 the next day, before 09:00 to 09:00 the
    /// same day; a finish between 09:00 and 17:00 on a weekday leaves no slack.
    /// </summary>
    public static DateTimeOffset NextWorkdayNine(DateTimeOffset finish)
    {
        var nine = new DateTimeOffset(finish.Date.AddHours(9), finish.Offset);
        var time = finish.TimeOfDay.TotalHours;
        return finish.DayOfWeek switch
        {
            DayOfWeek.Saturday => nine.AddDays(2),
            DayOfWeek.Sunday => nine.AddDays(1),
            _ when time > 17 => nine.AddDays(1),
            _ when time < 9 => nine,
            _ => finish,
        };
    }

    private static List<DateTimeOffset> LwaArrivals(BacktestSettings settings, DateTimeOffset traceStart, Random random)
    {
        var year = settings.Year ?? traceStart.Year;
        var workdays = new List<DateTimeOffset>();
        for (var day = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero); day.Year == year; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                workdays.Add(day);
            }
        }
        // Uniform over workdays, then a uniform half hour in 09:00..16:30.
        return Enumerable.Range(0, settings.Jobs)
            .Select(_ => workdays[random.Next(workdays.Count)].AddMinutes(9 * 60 + 30 * random.Next(16)))
            .Order()
            .ToList();
    }

    private static List<DateTimeOffset> RegularArrivals(string pattern, DateTime firstDay, DateTimeOffset traceEnd)
    {
        var result = new List<DateTimeOffset>();
        for (var day = new DateTimeOffset(firstDay, TimeSpan.Zero); day < traceEnd; day = day.AddDays(1))
        {
            var workday = day.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday;
            IEnumerable<int> hours = pattern switch
            {
                "workday-9-17" => workday ? Enumerable.Range(9, 8) : [],
                "hourly" => Enumerable.Range(0, 24),
                _ => [1], // daily: 01:00, the nightly job of the paper's first scenario
            };
            result.AddRange(hours.Select(h => day.AddHours(h)));
        }
        return result;
    }
}
