using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GreenTrain.ServiceDefaults.Store;

/// <summary>
/// Records each start of a service in the store (a start counter and a hash describing the instance),
/// so that operators, and the end-to-end tests, can see which services reached the shared store.
/// </summary>
internal sealed partial class ServiceRegistration(GreenTrainStore store, ServiceIdentity identity, ILogger<ServiceRegistration> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var name = identity.Name;
        var starts = await store.Database.StringIncrementAsync(StoreKeys.ServiceStarts(name));
        await store.Database.HashSetAsync(StoreKeys.Service(name),
        [
            new("version", ServiceVersion.Current),
            new("startedAt", DateTimeOffset.UtcNow.ToString("O")),
            new("machine", Environment.MachineName),
            new("pid", Environment.ProcessId),
            new("starts", starts),
        ]);
        var kind = await store.GetKindAsync();
        LogRegistered(logger, name, kind, starts);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} registered in the {StoreKind} store (start number {Starts})")]
    private static partial void LogRegistered(ILogger logger, string service, StoreKind storeKind, long starts);
}

/// <summary>The informational version of the running service's entry assembly.</summary>
public static class ServiceVersion
{
    public static string Current { get; } =
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";
}
