using Microsoft.Extensions.Options;
using GreenTrain.Trainer.Extensions;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `worker --store CONNECTION [--region R] [--Section:Key=value ...]`: runs only the worker (no HTTP), the
/// form a batch machine or the crash test starts. Other settings are configuration keys, e.g.
/// --Worker:Device=cpu --CommandQueue:LeaseDuration=00:00:05. Exit codes: 0 stopped, 2 bad input.
/// </summary>
public static class WorkerCommand
{
    public const string Usage =
        "usage: worker --store CONNECTION [--region R] [--Section:Key=value ...]\n" +
        "  --store   the shared store's connection string, e.g. localhost:6379 (default: ConnectionStrings:store)\n" +
        "  --region  the region whose command queue to serve (default: Worker:Region, \"local\")\n" +
        "  any other --Section:Key=value sets a configuration key (Worker:Device=cpu, Worker:CheckpointEverySteps=50, ...)";

    public static int Run(string[] args, TextWriter error)
    {
        IHost host;
        try
        {
            host = CreateHost(args);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            error.WriteLine(Usage);
            return TrainCommand.BadInput;
        }
        try
        {
            host.Run();
            return TrainCommand.Done;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures) error.WriteLine($"error: {failure}");
            return TrainCommand.BadInput;
        }
    }

    /// <summary>The worker's host: the service defaults (store, telemetry) and the worker, without a web server.</summary>
    /// <param name="configure">Extra registrations (tests add a log collector).</param>
    public static IHost CreateHost(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--store" or "--region" when i + 1 >= args.Length:
                    throw new ArgumentException($"{args[i]} needs a value");
                case "--store":
                    settings["ConnectionStrings:store"] = args[++i];
                    break;
                case "--region":
                    settings["Worker:Region"] = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        var builder = Host.CreateApplicationBuilder(rest.ToArray());
        builder.Configuration.AddInMemoryCollection(settings);
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(StoreExtensions.StoreConnectionName)))
        {
            throw new ArgumentException("--store CONNECTION is required (or ConnectionStrings:store)");
        }
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
