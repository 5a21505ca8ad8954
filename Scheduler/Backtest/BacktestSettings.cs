using System.Globalization;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>A bad back-test command line; the message says which option and what it accepts.</summary>
public sealed class BacktestUsageException(string message) : Exception(message);

/// <summary>How job deadlines are set: a fixed slack after the earliest finish, or Let's Wait Awhile's next workday 09:00.</summary>
public enum DeadlineRule
{
    Slack,
    NextWorkday,
}

/// <summary>
/// What a back-test simulates. Job lengths are either fixed (`--job-hours 8`) or drawn uniformly in
/// half-hour steps from a range (`--job-hours 4-90`, Let's Wait Awhile's ML jobs). Every option has a
/// default so that `backtest --trace FILE` alone runs.
/// </summary>
public sealed record BacktestSettings
{
    public List<string> Traces { get; init; } = [];

    public double JobHoursMin { get; init; } = 8;

    public double JobHoursMax { get; init; } = 8;

    public double SlackHours { get; init; } = 16;

    public DeadlineRule Deadline { get; init; } = DeadlineRule.Slack;

    public string Arrivals { get; init; } = "workday-9-17";

    /// <summary>For `--arrivals lwa`: how many jobs to spread over the workdays of the year (3387 in the paper).</summary>
    public int Jobs { get; init; } = 3387;

    public int? Year { get; init; }

    public string Forecast { get; init; } = "perfect";

    public double NoiseFraction { get; init; }

    /// <summary>Replan every open job at every cell with what is known then, as the live Scheduler does (ReplanSimulation).</summary>
    public bool Replan { get; init; }

    /// <summary>With --replan: future cells are shown to the planner raised by Risk times the forecaster's expected error there (PlanningForecast).</summary>
    public double Risk { get; init; }

    public bool Pausable { get; init; }

    public int Seed { get; init; }

    /// <summary>Runs with seeds Seed .. Seed+Repeat-1 and reports the totals, as the paper averages 10 noisy runs.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Draws the job set this many times (job seeds Seed .. Seed+JobDraws-1) and reports totals: one draw of long jobs varies by ±0.3 points.</summary>
    public int JobDraws { get; init; } = 1;

    public int? StepMinutes { get; init; }

    public double PauseKWh { get; init; }

    /// <summary>Smooths each forecast over this many cells before planning (1: off); see ForecastGrid.Smoothed.</summary>
    public int SmoothCells { get; init; } = 1;

    public double MigrationKWh { get; init; }

    public string Scenario { get; init; } = "custom";

    /// <summary>A CSV of `arrival,durationMinutes` to replay instead of generated arrivals (deadlines still follow the rule).</summary>
    public string? JobsFile { get; init; }

    /// <summary>The Let's Wait Awhile job set, drawn as the paper's simulation draws it (see Data/scenarios).</summary>
    public static string LetsWaitAwhileJobs => Path.Combine(AppContext.BaseDirectory, "Data", "scenarios", "lets-wait-awhile-ml-jobs.csv");

    public static BacktestSettings Parse(IReadOnlyList<string> args)
    {
        var s = new BacktestSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new BacktestUsageException($"{name} needs a value.");
            s = name switch
            {
                "--trace" => s with { Traces = [.. s.Traces, Value()] },
                "--job-hours" => ParseHours(s, Value()),
                "--slack-hours" => s with { SlackHours = Number(name, Value(), 0), Deadline = DeadlineRule.Slack },
                "--deadline" => Value() switch
                {
                    "next-workday-9" => s with { Deadline = DeadlineRule.NextWorkday },
                    var v => throw new BacktestUsageException($"--deadline '{v}': expected next-workday-9 (or use --slack-hours)."),
                },
                "--arrivals" => Value() is var a && a is "workday-9-17" or "hourly" or "daily" or "lwa" ? s with { Arrivals = a, JobsFile = null }
                    : throw new BacktestUsageException($"--arrivals '{a}': expected workday-9-17, hourly, daily or lwa."),
                "--jobs" => s with { Jobs = (int)Number(name, Value(), 1) },
                "--year" => s with { Year = (int)Number(name, Value(), 1900) },
                "--forecast" => ParseForecast(s, Value()),
                "--pausable" => s with { Pausable = true },
                "--replan" => s with { Replan = true },
                "--risk" => s with { Risk = Number(name, Value(), 0) },
                "--seed" => s with { Seed = (int)Number(name, Value(), 0) },
                "--repeat" => s with { Repeat = (int)Number(name, Value(), 1) },
                "--smooth-cells" => s with { SmoothCells = (int)Number(name, Value(), 1) },
                "--jobs-file" => s with { JobsFile = Value() },
                "--job-draws" => s with { JobDraws = (int)Number(name, Value(), 1) },
                "--step-minutes" => s with { StepMinutes = (int)Number(name, Value(), 1) },
                "--pause-kwh" => s with { PauseKWh = Number(name, Value(), 0) },
                "--migration-kwh" => s with { MigrationKWh = Number(name, Value(), 0) },
                "--scenario" => Value() switch
                {
                    "lets-wait-awhile" => s with
                    {
                        Scenario = "lets-wait-awhile", Arrivals = "lwa", Jobs = 3387, Year = 2020, JobHoursMin = 4, JobHoursMax = 89.5,
                        Deadline = DeadlineRule.NextWorkday, StepMinutes = 30, JobsFile = LetsWaitAwhileJobs,
                    },
                    var v => throw new BacktestUsageException($"--scenario '{v}': the one known scenario is lets-wait-awhile."),
                },
                _ => throw new BacktestUsageException($"Unknown option '{name}'."),
            };
        }
        if (s.Forecast == "builtin" && !s.Replan)
        {
            throw new BacktestUsageException("--forecast builtin learns as the trace arrives, so it needs --replan (plans made at every cell with what is known then).");
        }
        if (s.Traces.Count == 0)
        {
            throw new BacktestUsageException("Name at least one --trace FILE (CSV `Time,Carbon Intensity`, Electricity Maps export, or Carbon Aware SDK JSON).");
        }
        return s;
    }

    private static BacktestSettings ParseHours(BacktestSettings s, string value)
    {
        var parts = value.Split('-');
        var min = Number("--job-hours", parts[0], 0.25);
        var max = parts.Length == 2 ? Number("--job-hours", parts[1], min) : min;
        return s with { JobHoursMin = min, JobHoursMax = max };
    }

    private static BacktestSettings ParseForecast(BacktestSettings s, string value) => value switch
    {
        "perfect" or "persistence" or "builtin" => s with { Forecast = value },
        _ when value.StartsWith("noisy:", StringComparison.Ordinal) =>
            s with { Forecast = "noisy", NoiseFraction = Number("--forecast noisy:F", value[6..], 0) },
        _ => throw new BacktestUsageException($"--forecast '{value}': expected perfect, persistence, builtin or noisy:F (F the error as a fraction of the mean, e.g. noisy:0.05)."),
    };

    private static double Number(string name, string text, double min) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new BacktestUsageException($"{name} '{text}': expected a number of at least {min.ToString(CultureInfo.InvariantCulture)}.");
}
