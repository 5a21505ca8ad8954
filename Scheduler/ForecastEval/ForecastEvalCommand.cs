using System.Globalization;
using System.CommandLine;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Traces;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Scheduler.ForecastEval;

/// <summary>
/// `forecast-eval --trace FILE [--step-minutes M] [--warm-up-days D] [--out CSV]`: scores persistence and the built-in
/// forecaster on a trace at 1, 6, 12, 24 and 48 h ahead (MAPE, Spearman rank correlation); prints a table and writes a CSV.
/// </summary>
public static class ForecastEvalCommand
{
    public static readonly double[] Horizons = [1, 6, 12, 24, 48];

    public static Command Create()
    {
        var trace = new Option<string>("--trace")
        {
            Description = "an intensity trace: CSV `Time,Carbon Intensity`, Electricity Maps export, or Carbon Aware SDK JSON",
            HelpName = "FILE",
            Required = true,
        };
        var step = CliOptions.Int("--step-minutes", "cell length in minutes (0: the trace's own step)", 0, min: 0);
        var warmUp = CliOptions.Int("--warm-up-days", "days at the start left out of every model's score", 14, min: 0);
        var variant = new Option<string>("--builtin-variant")
        {
            Description = "the built-in forecaster or an alternative tried against it",
            DefaultValueFactory = _ => "standard",
        };
        variant.AcceptOnlyFromAmong(BuiltinVariants.Names);
        var output = new Option<string?>("--out") { Description = "CSV results file [default: forecast-eval-REGION.csv]", HelpName = "CSV" };
        var command = new Command("forecast-eval", "Score persistence and the built-in forecaster on a trace at 1, 6, 12, 24 and 48 h ahead (MAPE, rank correlation); prints a table and writes a CSV.")
        {
            trace, step, warmUp, output, variant,
        };
        command.SetAction(parsed => Run(parsed.GetValue(trace)!, parsed.GetValue(step), parsed.GetValue(warmUp), parsed.GetValue(output),
            BuiltinVariants.Parse(parsed.GetValue(variant)!), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string trace, int stepMinutes, int warmUpDays, string? output, BuiltinVariant variant, TextWriter console, TextWriter error)
    {
        IntensitySeries series;
        try
        {
            series = ShippedTraces.ReadFile(trace);
        }
        catch (TraceFormatException ex)
        {
            throw new UsageException(ex.Message);
        }
        var step = TimeSpan.FromMinutes(stepMinutes > 0 ? stepMinutes : (int)series.TypicalStep.TotalMinutes);
        var cells = (int)((series.End - series.Start) / step);
        var actual = series.ToGrid(series.Start, step, cells);
        var cellsPerDay = (int)Math.Round(TimeSpan.FromDays(1) / step);
        var horizon = (int)Math.Round(Horizons.Max() * cellsPerDay / 24);
        IForecastModel[] models = [new SeasonalNaive(cellsPerDay, horizon), BlendedForecaster.Builtin(series.Start, step, horizon, variant)];
        var progress = new Progress<string>(m => error.WriteLine($"forecast-eval: {m}"));
        var scores = ForecastEvaluation.Run(actual, models, Horizons, cellsPerDay, warmUpDays, progress);
        Print(console, series.Region, step, scores);
        output ??= $"forecast-eval-{series.Region.ToLowerInvariant()}.csv";
        File.WriteAllLines(output, scores.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{series.Region},{s.Model},{s.Hours},{s.Pairs},{s.MapePct:F3},{s.RankCorrelation:F4}")).Prepend("region,model,horizon_h,pairs,mape_pct,spearman"));
        console.WriteLine($"written to {Path.GetFullPath(output)}");
        return ExitCodes.Done;
    }

    private static void Print(TextWriter console, string region, TimeSpan step, IReadOnlyList<HorizonScore> scores)
    {
        console.WriteLine($"forecast-eval {region}, {step.TotalMinutes:0}-min cells; MAPE % (lower is better) and Spearman rank correlation (higher is better)");
        var models = scores.Select(s => s.Model).Distinct().ToList();
        console.WriteLine($"{"horizon",8} " + string.Join(" ", models.Select(m => $"{m + " MAPE",22} {"rho",6}")));
        foreach (var hours in scores.Select(s => s.Hours).Distinct())
        {
            var row = models.Select(m => scores.First(s => s.Model == m && s.Hours == hours))
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.MapePct,22:F2} {s.RankCorrelation,6:F3}"));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hours,7}h ") + string.Join(" ", row));
        }
    }
}
