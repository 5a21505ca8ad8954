using GreenTrain.Scheduler.Experiments;
using Quartz;

namespace GreenTrain.Scheduler.Jobs;

/// <summary>
/// Sends the commands that are due and sets a one-off trigger for the next plan boundary, so commands go
/// out when a planned interval starts or ends rather than at the next poll. A periodic trigger is the
/// safety net should a boundary trigger be lost.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchJob(DispatchService dispatch) : IJob
{
    public static readonly JobKey Key = new("dispatch", "planning");
    private static readonly TriggerKey BoundaryTrigger = new("next-boundary", "planning");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await dispatch.DispatchAsync(cancellationToken);
        await context.Scheduler.UnscheduleJob(BoundaryTrigger, cancellationToken);
        if (result.ReplanNeeded)
        {
            // A run outlasted its plan: plan it again now (the replan dispatches again when it is done).
            await context.Scheduler.TriggerJob(ReplanJob.Key, cancellationToken);
        }
        if (result.NextBoundary is { } boundary)
        {
            var trigger = TriggerBuilder.Create().WithIdentity(BoundaryTrigger).ForJob(Key).StartAt(boundary).Build();
            await context.Scheduler.ScheduleJob(trigger);
        }
    }
}
