using GreenTrain.Scheduler.Jobs;
using GreenTrain.ServiceDefaults.Store;
using Quartz;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// A submit or resume may reach any replica, but only the leader plans: <see cref="RequestAsync"/> asks the leader
/// (channel greentrain:scheduler:replan) to replan now. The channel only wakes: the new record is in the store, and
/// the leader's periodic replan (and any new leader's first) finds it if the message is lost.
/// </summary>
public sealed class ReplanRequests(GreenTrainStore store, SchedulerLeadership leadership, ISchedulerFactory quartz) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(StoreKeys.SchedulerReplanChannel);

    public async Task RequestAsync()
    {
        if (leadership.IsLeader)
        {
            await (await quartz.GetScheduler()).TriggerJob(ReplanJob.Key);
            return;
        }
        await store.Connection.GetSubscriber().PublishAsync(Channel, leadership.Replica);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = await store.Connection.GetSubscriber().SubscribeAsync(Channel);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await queue.ReadAsync(stoppingToken);
                if (leadership.IsLeader)
                {
                    // ReplanJob is [DisallowConcurrentExecution]: a burst of requests queues behind one replan.
                    await (await quartz.GetScheduler(stoppingToken)).TriggerJob(ReplanJob.Key, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }
}
