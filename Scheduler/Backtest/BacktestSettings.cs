using GreenTrain.Scheduler.Forecasting.Models;
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
/// default so that `backtest --trace FILE` alone runs. <see cref="BacktestOptions"/> reads them from the command line.
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

    /// <summary>With --replan: decide each job's current cell under the forecast's past errors (ScenarioSettings); null decides on the point forecast.</summary>
    public ScenarioSettings? Scenarios { get; init; }

    /// <summary>With --replan: decide each job's current cell by an online threshold rule (ThresholdSettings); null decides on the point forecast.</summary>
    public ThresholdSettings? Threshold { get; init; }

    /// <summary>With --forecast builtin: the built-in forecaster or an alternative tried against it.</summary>
    public BuiltinVariant Variant { get; init; }

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

    /// <summary>Parses a `backtest` command line (without the verb) with the same options the verb has.</summary>
    public static BacktestSettings Parse(IReadOnlyList<string> args)
    {
        var options = new BacktestOptions();
        var parsed = options.Command().Parse(args);
        return parsed.Errors.Count == 0
            ? options.Read(parsed)
            : throw new BacktestUsageException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
    }
}
