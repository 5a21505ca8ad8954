using GreenTrain.Scheduler.Experiments;
using Quartz;

namespace GreenTrain.Scheduler.Jobs;

/// <summary>Rebuilds all plans from the store and the current forecasts, then dispatches at once what the new plans change.</summary>
[DisallowConcurrentExecution]
public sealed class ReplanJob(PlanningService planning) : IJob
{
    public static readonly JobKey Key = new("replan", "planning");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await planning.ReplanAsync(cancellationToken);
        await context.Scheduler.TriggerJob(DispatchJob.Key, cancellationToken);
    }
}
