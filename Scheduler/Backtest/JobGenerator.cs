namespace GreenTrain.Scheduler.Backtest;

/// <summary>A simulated job: when it arrives, how long it runs, when it must be done.</summary>
public sealed record SimulatedJob(int Id, DateTimeOffset Arrival, TimeSpan Duration, DateTimeOffset Deadline);

/// <summary>
/// Generates back-test jobs. `lwa` follows the ML-training scenario of Let's Wait Awhile (Wiesner et al.,
/// Middleware 2021) as its published simulation describes it: a fixed number of jobs spread uniformly at
/// random over the workdays of a year, each arriving at a random half hour between 09:00 and 16:30, with a
/// duration drawn uniformly from 4 h to 89.5 h in half-hour steps. The other patterns put one job at each
/// arrival moment. Trace time stamps are read on the trace's own (local) clock, as the paper does.
/// </summary>
public static class JobGenerator
{
    public static List<SimulatedJob> Generate(BacktestSettings settings, DateTimeOffset traceStart, DateTimeOffset traceEnd, Random random)
    {
        var arrivals = settings.Arrivals == "lwa"
            ? LwaArrivals(settings, traceStart, random)
            : RegularArrivals(settings.Arrivals, traceStart.Date.AddDays(1), traceEnd);
        var jobs = new List<SimulatedJob>(arrivals.Count);
        foreach (var arrival in arrivals)
        {
            var halfHours = (int)Math.Round((settings.JobHoursMax - settings.JobHoursMin) * 2);
            var hours = settings.JobHoursMin + (halfHours > 0 ? random.Next(halfHours + 1) / 2.0 : 0);
            var duration = TimeSpan.FromHours(hours);
            var deadline = settings.Deadline == DeadlineRule.NextWorkday
                ? NextWorkdayNine(arrival + duration)
                : arrival + duration + TimeSpan.FromHours(settings.SlackHours);
            jobs.Add(new SimulatedJob(jobs.Count, arrival, duration, deadline));
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
