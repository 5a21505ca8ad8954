using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace GreenTrain.AppHost.Store;

/// <summary>The three ways to provide the store resource; <see cref="StoreSelection"/> says which one applies.</summary>
public static class StoreResourceExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddGreenTrainStore(this IDistributedApplicationBuilder builder, string name)
    {
        var connectionString = builder.Configuration.GetConnectionString(name);
        var source = StoreSelection.Choose(connectionString, builder.Configuration["Store:Mode"],
            builder.ExecutionContext.IsPublishMode,
            () => ContainerRuntimeProbe.IsHealthy(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"], TimeSpan.FromSeconds(5)));

        return source switch
        {
            StoreSource.ConnectionString => builder.AddExternalStore(name, connectionString!),
            StoreSource.RedisContainer => builder.AddRedis(name)
                .WithDataVolume()
                .WithPersistence()
                // Snapshots lose the last minute of writes on a crash; the append-only file loses at most a second.
                .WithAppendOnlyFile(),
            _ => builder.AddEmbeddedStore(name),
        };
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExternalStore(this IDistributedApplicationBuilder builder, string name, string connectionString)
    {
        var setting = $"ConnectionStrings:{name}";
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new AppHostConfigurationException(setting, $"not a valid Redis connection string ({ex.Message}).");
        }
        if (options.EndPoints.Count == 0)
        {
            throw new AppHostConfigurationException(setting, "names no host; expected host:port[,password=...].");
        }
        if (StoreConnectionRules.Problem(options, builder.ExecutionContext.IsPublishMode) is { } problem)
        {
            throw new AppHostConfigurationException(setting, problem);
        }
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The deployment's store is reached from Azure, not from the machine that writes the manifest.
            return builder.AddConnectionString(name);
        }

        // Fail at start with the setting's name, rather than later with every service unhealthy.
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 5000;
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
                await probe.GetDatabase().PingAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                throw new AppHostConfigurationException(setting,
                    $"the store at {string.Join(", ", options.EndPoints)} is unreachable ({ex.Message.Split('\n')[0]}).");
            }
        });
        return builder.AddConnectionString(name);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddEmbeddedStore(this IDistributedApplicationBuilder builder, string name)
    {
        var dataPath = Path.GetFullPath(builder.Configuration["Store:DataPath"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, ".data", name));
        var port = int.TryParse(builder.Configuration["Store:Port"], out var configuredPort) ? configuredPort : 0;
        if (port is < 0 or > 65535)
        {
            throw new AppHostConfigurationException("Store:Port", $"{port} is not a TCP port.");
        }
        port = port == 0 ? EmbeddedGarnet.FreeLoopbackPort() : port;

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var resource = new EmbeddedStoreResource(name, dataPath, port, password);
        var healthCheckKey = $"{name}-round-trip";
        var host = new EmbeddedStoreHost(resource);
        builder.Services.AddSingleton(host);
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, host.CheckHealthAsync);

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
            host.StartAsync(@event.Services, cancellationToken));

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Garnet (embedded)",
                State = KnownResourceStates.Starting,
                Properties =
                [
                    new("store.path", dataPath),
                    new("store.port", port),
                ],
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Aspire starts Redis as <c>/bin/sh -c "redis-server --requirepass ... --save 60 1"</c>: arguments added after that
    /// string reach the shell, not Redis, so the append-only settings go inside the command itself.
    /// </summary>
    private static IResourceBuilder<RedisResource> WithAppendOnlyFile(this IResourceBuilder<RedisResource> redis) =>
        redis.WithArgs(context =>
        {
            for (var i = 0; i < context.Args.Count; i++)
            {
                if (context.Args[i] is string command && command.StartsWith("redis-server", StringComparison.Ordinal))
                {
                    context.Args[i] = command + " --appendonly yes --appendfsync everysec";
                }
            }
        });
}
