using GreenTrain.ServiceDefaults.Carbon;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>`backtest ...`: reads the traces, runs, prints one JSON object on stdout; progress and errors go to stderr.</summary>
public static class BacktestCommand
{
    public const string Usage =
        "usage: backtest --trace FILE [--trace FILE ...] [--job-hours H|A-B] [--slack-hours S | --deadline next-workday-9]\n" +
        "                [--arrivals workday-9-17|hourly|daily|lwa] [--jobs N] [--year Y] [--forecast perfect|persistence|builtin|noisy:F]\n" +
        "                [--pausable] [--seed N] [--repeat R] [--job-draws D] [--step-minutes M] [--pause-kwh E] [--migration-kwh E] [--smooth-cells W]\n" +
        "                [--jobs-file CSV] [--scenario lets-wait-awhile] [--replan [--risk K]]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Run(IReadOnlyList<string> args)
    {
        try
        {
            var settings = BacktestSettings.Parse(args);
            var traces = settings.Traces.Select(path => ShippedTraces.ReadFile(path)).ToList();
            var duplicate = traces.GroupBy(t => t.Region).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new BacktestUsageException($"Two traces are for region {duplicate.Key}; name each region once.");
            }
            var progress = new Progress<string>(message => Console.Error.WriteLine($"backtest: {message}"));
            var result = BacktestRunner.Run(settings, traces, progress);
            Console.Out.WriteLine(JsonSerializer.Serialize(result, Json));
            return 0;
        }
        catch (Exception ex) when (ex is BacktestUsageException or TraceFormatException)
        {
            Console.Error.WriteLine($"backtest: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}
