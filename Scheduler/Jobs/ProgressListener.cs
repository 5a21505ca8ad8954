using GreenTrain.ServiceDefaults.Store;
using Quartz;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Jobs;

/// <summary>
/// Wakes the dispatcher when a worker's progress changes (channel greentrain:progress-updates), so a finished
/// or paused run is seen within a moment instead of at the next periodic dispatch. The message only wakes:
/// the dispatcher reads the progress hashes, which stay the truth if a message is lost.
/// </summary>
public sealed class ProgressListener(GreenTrainStore store, ISchedulerFactory quartz) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = store.Connection.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(StoreKeys.ProgressUpdatesChannel));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await queue.ReadAsync(stoppingToken);
                var scheduler = await quartz.GetScheduler(stoppingToken);
                // DispatchJob is [DisallowConcurrentExecution]: a burst of updates queues behind one run.
                await scheduler.TriggerJob(DispatchJob.Key, stoppingToken);
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
