using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `worker --store CONNECTION [--region R] [--Section:Key=value ...]`: runs only the worker (no HTTP), the form a
/// batch machine or the crash test starts. Other settings are configuration keys, e.g. --Worker:Device=cpu
/// --CommandQueue:LeaseDuration=00:00:05. Exit codes: 0 stopped, 2 bad input.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var (command, store, region) = Define();
        command.SetAction(parsed =>
        {
            var host = CreateHost(parsed.GetValue(store), parsed.GetValue(region), [.. parsed.UnmatchedTokens], configure: null);
            try
            {
                host.Run();
                return ExitCodes.Done;
            }
            catch (OptionsValidationException ex)
            {
                throw new UsageException(ex.Failures.ToList());
            }
        });
        return command;
    }

    /// <summary>The worker's host from a `worker` command line (without the verb), as tests and benchmarks start it.</summary>
    /// <param name="configure">Extra registrations (tests add a log collector).</param>
    public static IHost CreateHost(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var (command, store, region) = Define();
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(parsed.Errors.Select(e => e.Message).ToList());
        }
        return CreateHost(parsed.GetValue(store), parsed.GetValue(region), [.. parsed.UnmatchedTokens], configure);
    }

    private static (Command Command, Option<string?> Store, Option<string?> Region) Define()
    {
        var store = new Option<string?>("--store") { Description = "the shared store's connection string, e.g. localhost:6379 (default: ConnectionStrings:store)", HelpName = "CONNECTION" };
        var region = new Option<string?>("--region") { Description = "the region whose command queue to serve (default: Worker:Region, \"local\")", HelpName = "R" };
        var command = new Command("worker", "Run only the worker (no HTTP): it takes experiments from the store's command queue for its region.\n"
            + "Any other --Section:Key=value sets a configuration key (--Worker:Device=cuda:1, --Worker:CheckpointEverySteps=50, ...).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(store);
        command.Options.Add(region);
        return (command, store, region);
    }

    /// <summary>The worker's host: the service defaults (store, telemetry) and the worker, without a web server.</summary>
    private static IHost CreateHost(string? store, string? region, string[] configuration, Action<HostApplicationBuilder>? configure)
    {
        var settings = new Dictionary<string, string?>();
        if (store is not null) settings["ConnectionStrings:store"] = store;
        if (region is not null) settings["Worker:Region"] = region;
        var builder = Host.CreateApplicationBuilder(configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(StoreExtensions.StoreConnectionName)))
        {
            throw new UsageException("--store CONNECTION is required (or ConnectionStrings:store).");
        }
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
