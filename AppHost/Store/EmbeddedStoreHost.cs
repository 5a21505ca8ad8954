using GreenTrain.ServiceDefaults.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.AppHost.Store;

/// <summary>
/// Starts the embedded Garnet server when the application starts, reports its state to the dashboard,
/// answers its health check with a real write and read, compacts its append-only file as it grows, and stops it
/// with the AppHost.
/// </summary>
internal sealed class EmbeddedStoreHost(EmbeddedStoreResource resource) : IAsyncDisposable
{
    /// <summary>How often the append-only file's size is looked at; a checkpoint every few MB written a second is cheap.</summary>
    private static readonly TimeSpan CompactionCheckEvery = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private EmbeddedGarnet? _server;
    private ConnectionMultiplexer? _client;
    private Task _compaction = Task.CompletedTask;

    public async Task StartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var password = await resource.Password.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException("The embedded store's generated password has no value.");
        try
        {
            _server = EmbeddedGarnet.Start(resource.DataPath, resource.Port, password);
            _client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{resource.Port},password={password}");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The embedded Garnet store could not start on port {Port} with data in {Path}", resource.Port, resource.DataPath);
            await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
            throw new AppHostConfigurationException("Store:DataPath",
                $"the embedded store could not start with data in {resource.DataPath} on port {resource.Port}: {ex.Message}");
        }
        _compaction = CompactWhileRunningAsync(_server, logger);
        logger.LogInformation("Embedded Garnet store listening on 127.0.0.1:{Port}; append-only file under {Path}", resource.Port, resource.DataPath);
        await notifications.PublishUpdateAsync(resource, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = DateTime.UtcNow,
        });
    }

    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return HealthCheckResult.Unhealthy("the embedded store has not started");
        }
        try
        {
            // The same write-and-read-back probe every service's health check uses (key greentrain:health:store).
            await new GreenTrainStore(_client).RoundTripAsync("store");
            return HealthCheckResult.Healthy();
        }
        catch (InvalidOperationException ex)
        {
            return HealthCheckResult.Unhealthy("the embedded store returned another value than the one written", ex);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the embedded store did not answer", ex);
        }
    }

    private async Task CompactWhileRunningAsync(EmbeddedGarnet server, ILogger logger)
    {
        using var timer = new PeriodicTimer(CompactionCheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var before = server.AofBytes;
                try
                {
                    if (await server.CompactIfLargeAsync(_stop.Token))
                    {
                        logger.LogInformation("Compacted the store's append-only file ({Before} MB not yet in a checkpoint, now {After} MB)",
                            before >> 20, server.AofBytes >> 20);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not compact the store's append-only file; trying again in {Seconds} s", CompactionCheckEvery.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The store is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _compaction;
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        _server?.Dispose();
        _stop.Dispose();
    }
}
