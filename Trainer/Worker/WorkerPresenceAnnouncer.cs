using GreenTrain.ServiceDefaults.Store.CommandQueue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Tells the store, every heartbeat, that this worker serves its region's queue (busy or idle), and takes the entry
/// back when it stops. The Scheduler reads it to tell a run whose worker died (move it, if another region can take
/// it) from one that waits for a live worker.
/// </summary>
public sealed partial class WorkerPresenceAnnouncer(WorkerPresence presence, IOptions<WorkerOptions> options, ILogger<WorkerPresenceAnnouncer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(presence.RenewEvery);
        do
        {
            try
            {
                await presence.AnnounceAsync(settings.Region, settings.ResolvedWorkerId);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                LogAnnounceFailed(logger, ex, settings.Region);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t is { IsCompletedSuccessfully: true, Result: true },
            TaskScheduler.Default));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var settings = options.Value;
        try
        {
            await presence.WithdrawAsync(settings.Region, settings.ResolvedWorkerId);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
        {
            LogAnnounceFailed(logger, ex, settings.Region); // its entry lapses by itself a lease from now
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the store this worker serves region {Region}; trying again at the next heartbeat")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string region);
}
