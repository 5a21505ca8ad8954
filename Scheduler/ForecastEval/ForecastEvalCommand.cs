using System.Globalization;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Traces;
using GreenTrain.ServiceDefaults.Carbon.Traces;

namespace GreenTrain.Scheduler.ForecastEval;

/// <summary>
/// `forecast-eval --trace FILE [--step-minutes M] [--out CSV]`: scores persistence and the built-in forecaster (and its
/// members) on a trace at 1, 6, 12, 24 and 48 h ahead; prints a table and writes a CSV. Exit codes: 0 done, 2 bad usage.
/// </summary>
public static class ForecastEvalCommand
{
    public const string Usage = "usage: forecast-eval --trace FILE [--step-minutes M] [--warm-up-days D] [--out CSV]";

    public static readonly double[] Horizons = [1, 6, 12, 24, 48];

    public static int Run(IReadOnlyList<string> args)
    {
        try
        {
            string? trace = null, output = null;
            int? stepMinutes = null;
            var warmUpDays = 14;
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new BacktestUsageException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--trace": trace = Value(); break;
                    case "--out": output = Value(); break;
                    case "--step-minutes": stepMinutes = PositiveInt("--step-minutes", Value()); break;
                    case "--warm-up-days": warmUpDays = PositiveInt("--warm-up-days", Value()); break;
                    default: throw new BacktestUsageException($"Unknown option '{args[i]}'.");
                }
            }
            if (trace is null)
            {
                throw new BacktestUsageException("Name a --trace FILE (CSV `Time,Carbon Intensity`, Electricity Maps export, or Carbon Aware SDK JSON).");
            }
            var series = ShippedTraces.ReadFile(trace);
            var step = TimeSpan.FromMinutes(stepMinutes ?? (int)series.TypicalStep.TotalMinutes);
            var cells = (int)((series.End - series.Start) / step);
            var actual = series.ToGrid(series.Start, step, cells);
            var cellsPerDay = (int)Math.Round(TimeSpan.FromDays(1) / step);
            var horizon = (int)Math.Round(Horizons.Max() * cellsPerDay / 24);
            var builtin = BlendedForecaster.Builtin(series.Start, step, horizon);
            IForecastModel[] models = [new SeasonalNaive(cellsPerDay, horizon), builtin];
            var progress = new Progress<string>(m => Console.Error.WriteLine($"forecast-eval: {m}"));
            var scores = ForecastEvaluation.Run(actual, models, Horizons, cellsPerDay, warmUpDays, progress);
            Print(series.Region, step, scores);
            output ??= $"forecast-eval-{series.Region.ToLowerInvariant()}.csv";
            File.WriteAllLines(output, scores.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{series.Region},{s.Model},{s.Hours},{s.Pairs},{s.MapePct:F3},{s.RankCorrelation:F4}")).Prepend("region,model,horizon_h,pairs,mape_pct,spearman"));
            Console.WriteLine($"written to {Path.GetFullPath(output)}");
            return 0;
        }
        catch (Exception ex) when (ex is BacktestUsageException or TraceFormatException)
        {
            Console.Error.WriteLine($"forecast-eval: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static void Print(string region, TimeSpan step, IReadOnlyList<HorizonScore> scores)
    {
        Console.WriteLine($"forecast-eval {region}, {step.TotalMinutes:0}-min cells; MAPE % (lower is better) and Spearman rank correlation (higher is better)");
        var models = scores.Select(s => s.Model).Distinct().ToList();
        Console.WriteLine($"{"horizon",8} " + string.Join(" ", models.Select(m => $"{m + " MAPE",22} {"rho",6}")));
        foreach (var hours in scores.Select(s => s.Hours).Distinct())
        {
            var row = models.Select(m => scores.First(s => s.Model == m && s.Hours == hours))
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.MapePct,22:F2} {s.RankCorrelation,6:F3}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hours,7}h ") + string.Join(" ", row));
        }
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new BacktestUsageException($"{name} '{text}': expected a whole number above 0.");
}
