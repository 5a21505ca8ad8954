using GreenTrain.ServiceDefaults.Carbon.Traces;
using System.CommandLine;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>`backtest ...`: reads the traces, runs, prints one JSON object on stdout; progress and errors go to stderr.</summary>
public static class BacktestCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var options = new BacktestOptions();
        var command = options.Command();
        command.SetAction(parsed => Run(options.Read(parsed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(BacktestSettings settings, TextWriter output, TextWriter error)
    {
        try
        {
            var traces = settings.Traces.Select(path => ShippedTraces.ReadFile(path)).ToList();
            var duplicate = traces.GroupBy(t => t.Region).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new BacktestUsageException($"Two traces are for region {duplicate.Key}; name each region once.");
            }
            var progress = new Progress<string>(message => error.WriteLine($"backtest: {message}"));
            var result = BacktestRunner.Run(settings, traces, progress);
            output.WriteLine(JsonSerializer.Serialize(result, Json));
            return ExitCodes.Done;
        }
        catch (Exception ex) when (ex is BacktestUsageException or TraceFormatException)
        {
            throw new UsageException(ex.Message);
        }
    }
}
