using GreenTrain.ServiceDefaults.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class StoreExtensions
{
    /// <summary>The name of the connection string (and of the AppHost resource) that every service reads.</summary>
    public const string StoreConnectionName = "store";

    /// <summary>
    /// Connects to the shared store named by ConnectionStrings:store, registers it with a round-trip health
    /// check, and records the service's start in it.
    /// </summary>
    public static TBuilder AddGreenTrainStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Our own round-trip check replaces the client's PING check: it proves writes and reads both work.
        builder.AddRedisClient(StoreConnectionName, settings => settings.DisableHealthChecks = true);
        builder.Services.AddSingleton(new ServiceIdentity(
            builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } resourceName ? resourceName : builder.Environment.ApplicationName));
        builder.Services.AddSingleton<GreenTrainStore>();
        builder.Services.AddHealthChecks().AddCheck<StoreRoundTripHealthCheck>("store", tags: ["ready"]);
        builder.Services.AddHostedService<ServiceRegistration>();
        return builder;
    }
}
