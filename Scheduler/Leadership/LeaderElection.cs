using GreenTrain.Scheduler.Jobs;
using Microsoft.Extensions.Options;
using Quartz;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// Keeps this replica's place: every third of the lease the leader renews its term and a follower tries to take
/// the lease. A replica that becomes leader replans at once (the records in the store hold everything a plan
/// needs, so nothing the dead leader decided is lost); one that stops cleanly gives the lease up for its successor.
/// The first attempt is made before the service starts, so a lone replica leads from its first Quartz pass.
/// </summary>
public sealed partial class LeaderElection(
    SchedulerLeadership leadership, IOptions<LeadershipOptions> options, ISchedulerFactory quartz, ILogger<LeaderElection> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (leadership.Held is { } term)
        {
            leadership.Drop();
            try
            {
                await leadership.Lease.ReleaseAsync(term);
                LogReleased(logger, leadership.Replica);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogStoreFailed(logger, ex.Message); // the lease lapses by itself
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var lease = options.Value.Lease;
        var askedAt = leadership.Now();
        try
        {
            if (leadership.Held is { } term)
            {
                if (await leadership.Lease.RenewAsync(term, lease))
                {
                    leadership.Hold(term, askedAt);
                    return;
                }
                leadership.Drop();
                LogLost(logger, leadership.Replica, term.Fence);
            }
            if (await leadership.Lease.TryAcquireAsync(leadership.Replica, lease) is { } taken)
            {
                leadership.Hold(taken, askedAt);
                LogLeading(logger, leadership.Replica, taken.Fence);
                var scheduler = await quartz.GetScheduler(cancellationToken);
                await scheduler.TriggerJob(ReplanJob.Key, cancellationToken); // plan and dispatch from the store now
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Unreachable store: a held term stays only until it would have lapsed (SchedulerLeadership.Term).
            LogStoreFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler replica {Replica} leads (term {Fence}): it plans and dispatches")]
    private static partial void LogLeading(ILogger logger, string replica, long fence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler replica {Replica} lost the lead (term {Fence} lapsed): it follows and serves the API only")]
    private static partial void LogLost(ILogger logger, string replica, long fence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler replica {Replica} gave up the lead on stopping")]
    private static partial void LogReleased(ILogger logger, string replica);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader lease check failed: {Detail}")]
    private static partial void LogStoreFailed(ILogger logger, string detail);
}
