using GreenTrain.Scheduler.Forecasting.Models;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// The options of `backtest`. `--scenario` sets a whole simulation; options given beside it override its values.
/// Whole-number options refuse fractions instead of truncating them.
/// </summary>
public sealed class BacktestOptions
{
    private readonly Option<string[]> _trace = new("--trace")
    {
        Description = "an intensity trace: CSV `Time,Carbon Intensity`, Electricity Maps export, or Carbon Aware SDK JSON (repeat for more regions)",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<(double Min, double Max)?> _jobHours = new("--job-hours")
    {
        Description = "job length in hours, fixed (8) or drawn uniformly in half-hour steps from a range (4-90) [default: 8]",
        HelpName = "H|A-B",
        CustomParser = ParseHours,
    };

    private readonly Option<double?> _slack = CliOptions.OptionalNumber("--slack-hours", "deadline slack after the earliest finish [default: 16]", 0);
    private readonly Option<string?> _deadline = Choice("--deadline", "deadline rule instead of a slack", "next-workday-9");
    private readonly Option<string?> _arrivals = Choice("--arrivals", "when jobs arrive [default: workday-9-17]", "workday-9-17", "hourly", "daily", "lwa");
    private readonly Option<int> _jobs = CliOptions.Int("--jobs", "for --arrivals lwa: jobs spread over the year's workdays", 3387);
    private readonly Option<int?> _year = OptionalInt("--year", "the trace year to simulate (default: the traces' first)", 1900);

    private readonly Option<(string Kind, double Noise)?> _forecast = new("--forecast")
    {
        Description = "perfect, persistence, builtin (needs --replan) or noisy:F (F the error as a fraction of the mean, e.g. noisy:0.05) [default: perfect]",
        HelpName = "perfect|persistence|builtin|noisy:F",
        CustomParser = ParseForecast,
    };

    private readonly Option<bool> _pausable = new("--pausable") { Description = "jobs may pause and resume" };
    private readonly Option<bool> _replan = new("--replan") { Description = "replan every open job at every cell with what is known then, through the live planner" };
    private readonly Option<double> _risk = CliOptions.Number("--risk", "with --replan: show future cells raised by K x the forecaster's stated error", 0, 0);
    private readonly Option<ScenarioSettings?> _scenarios = new("--scenarios")
    {
        Description = "with --replan: decide each job's current cell under the forecast's past errors; SPEC as days=14,rule=vote|expected-cost,share=0.5,analogs=0,scale=1,hours=H [default: off, the point forecast]",
        HelpName = "SPEC",
        CustomParser = result => ParseSpec(result, ScenarioSettings.Parse),
    };
    private readonly Option<ThresholdSettings?> _threshold = new("--threshold")
    {
        Description = "with --replan: decide each job's current cell by an online threshold rule; SPEC as rule=threshold|or|and|forecast-bounds|horizon,days=7,margin=0.1,hours=6,quantile=0.25 [default: off, the point forecast]",
        HelpName = "SPEC",
        CustomParser = result => ParseSpec(result, ThresholdSettings.Parse),
    };
    private readonly Option<string?> _variant = Choice("--builtin-variant", "with --forecast builtin: the built-in forecaster or an alternative tried against it [default: standard]", BuiltinVariants.Names);
    private readonly Option<int> _seed = CliOptions.Int("--seed", "first random seed", 0, min: 0);
    private readonly Option<int> _repeat = CliOptions.Int("--repeat", "runs with seeds seed .. seed+R-1, reported as totals", 1);
    private readonly Option<int> _jobDraws = CliOptions.Int("--job-draws", "job sets drawn (job seeds seed .. seed+D-1), reported as totals", 1);
    private readonly Option<int?> _stepMinutes = OptionalInt("--step-minutes", "planning cell length in minutes (default: the trace's step)", 1);
    private readonly Option<double> _pauseKwh = CliOptions.Number("--pause-kwh", "energy one pause and resume costs, kWh", 0, 0);
    private readonly Option<double> _migrationKwh = CliOptions.Number("--migration-kwh", "energy one move between regions costs, kWh", 0, 0);
    private readonly Option<int> _smooth = CliOptions.Int("--smooth-cells", "smooth each forecast over W cells before planning (1: off)", 1);
    private readonly Option<string?> _jobsFile = new("--jobs-file") { Description = "a CSV of `arrival,durationMinutes` to replay instead of generated arrivals", HelpName = "CSV" };
    private readonly Option<string?> _scenario = Choice("--scenario", "a whole simulation: Let's Wait Awhile's ML jobs in 2020", "lets-wait-awhile");

    /// <summary>The `backtest` command with these options and a check that at least one trace is named.</summary>
    public Command Command()
    {
        var command = new Command("backtest", "Replay intensity traces and compare run-now, planned and oracle emissions; prints one JSON object.");
        foreach (var option in new Option[] { _trace, _jobHours, _slack, _deadline, _arrivals, _jobs, _year, _forecast, _pausable, _seed, _repeat,
                     _jobDraws, _stepMinutes, _pauseKwh, _migrationKwh, _smooth, _jobsFile, _scenario, _replan, _risk, _variant, _scenarios, _threshold })
        {
            command.Options.Add(option);
        }
        command.Validators.Add(result =>
        {
            if ((result.GetValue(_trace) ?? []).Length == 0)
            {
                result.AddError("Name at least one --trace FILE (CSV `Time,Carbon Intensity`, Electricity Maps export, or Carbon Aware SDK JSON).");
            }
            // Read the token, not the value: a bad --forecast has its own error and no value.
            if (result.GetResult(_forecast) is { Tokens: [.., { Value: "builtin" }] } && !result.GetValue(_replan))
            {
                result.AddError("--forecast builtin learns as the trace arrives, so it needs --replan (plans made at every cell with what is known then).");
            }
            if (result.GetResult(_scenarios) is not null && !result.GetValue(_replan))
            {
                result.AddError("--scenarios decides each cell as it comes, so it needs --replan.");
            }
            if (result.GetResult(_threshold) is not null && !result.GetValue(_replan))
            {
                result.AddError("--threshold decides each cell as it comes, so it needs --replan.");
            }
            if (result.GetResult(_threshold) is not null && result.GetResult(_scenarios) is not null)
            {
                result.AddError("--threshold and --scenarios both decide the current cell; give one.");
            }
            if (result.GetResult(_slack) is not null && result.GetResult(_deadline) is not null)
            {
                result.AddError("--slack-hours and --deadline both set the deadline; give one.");
            }
        });
        return command;
    }

    public BacktestSettings Read(ParseResult p)
    {
        var s = p.GetValue(_scenario) == "lets-wait-awhile"
            ? new BacktestSettings
            {
                Scenario = "lets-wait-awhile", Arrivals = "lwa", Jobs = 3387, Year = 2020, JobHoursMin = 4, JobHoursMax = 89.5,
                Deadline = DeadlineRule.NextWorkday, StepMinutes = 30, JobsFile = BacktestSettings.LetsWaitAwhileJobs,
            }
            : new BacktestSettings();
        s = s with { Traces = [.. p.GetValue(_trace) ?? []], Pausable = p.GetValue(_pausable), Replan = p.GetValue(_replan), Risk = p.GetValue(_risk), Variant = BuiltinVariants.Parse(p.GetValue(_variant) ?? "standard"), Seed = p.GetValue(_seed), Repeat = p.GetValue(_repeat), JobDraws = p.GetValue(_jobDraws) };
        if (p.GetValue(_jobHours) is { } hours) s = s with { JobHoursMin = hours.Min, JobHoursMax = hours.Max };
        if (p.GetValue(_slack) is { } slack) s = s with { SlackHours = slack, Deadline = DeadlineRule.Slack };
        if (p.GetValue(_deadline) is not null) s = s with { Deadline = DeadlineRule.NextWorkday };
        if (p.GetValue(_arrivals) is { } arrivals) s = s with { Arrivals = arrivals, JobsFile = null };
        if (p.GetResult(_jobs) is { Implicit: false }) s = s with { Jobs = p.GetValue(_jobs) };
        if (p.GetValue(_year) is { } year) s = s with { Year = year };
        if (p.GetValue(_scenarios) is { } scenarios) s = s with { Scenarios = scenarios };
        if (p.GetValue(_threshold) is { } threshold) s = s with { Threshold = threshold };
        if (p.GetValue(_forecast) is { } forecast) s = s with { Forecast = forecast.Kind, NoiseFraction = forecast.Noise };
        if (p.GetValue(_stepMinutes) is { } step) s = s with { StepMinutes = step };
        if (p.GetValue(_jobsFile) is { } jobsFile) s = s with { JobsFile = jobsFile };
        return s with { PauseKWh = p.GetValue(_pauseKwh), MigrationKWh = p.GetValue(_migrationKwh), SmoothCells = p.GetValue(_smooth) };
    }

    private static Option<string?> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', values) };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!values.Contains(text))
            {
                result.AddError($"{name} '{text}': expected {(values.Length == 1 ? values[0] : $"{string.Join(", ", values[..^1])} or {values[^1]}")}.");
            }
        });
        return option;
    }

    private static Option<int?> OptionalInt(string name, string description, int min) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => CliOptions.Parsed(result, name, min, int.MaxValue,
            text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number"),
    };

    private static (double, double)? ParseHours(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        var parts = text.Split('-');
        double? Hours(string part) => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h >= 0.25 ? h : null;
        if (parts.Length is 1 or 2 && Hours(parts[0]) is { } min && (parts.Length == 1 ? min : Hours(parts[1])) is { } max && max >= min)
        {
            return (min, max);
        }
        result.AddError($"--job-hours '{text}': expected hours of at least 0.25, or a range A-B with A <= B (e.g. 4-90).");
        return null;
    }

    /// <summary>A key=value spec option (--scenarios, --threshold): its parser's ArgumentException becomes the option's error.</summary>
    private static T? ParseSpec<T>(ArgumentResult result, Func<string, T> parse) where T : class
    {
        try
        {
            return parse(result.Tokens[^1].Value);
        }
        catch (ArgumentException ex)
        {
            result.AddError(ex.Message);
            return null;
        }
    }

    private static (string, double)? ParseForecast(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        if (text is "perfect" or "persistence" or "builtin")
        {
            return (text, 0);
        }
        if (text.StartsWith("noisy:", StringComparison.Ordinal)
            && double.TryParse(text.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var noise) && noise >= 0)
        {
            return ("noisy", noise);
        }
        result.AddError($"--forecast '{text}': expected perfect, persistence, builtin or noisy:F (F the error as a fraction of the mean, e.g. noisy:0.05).");
        return null;
    }
}
