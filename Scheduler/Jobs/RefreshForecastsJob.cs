using GreenTrain.Scheduler.Forecasting;
using Quartz;

namespace GreenTrain.Scheduler.Jobs;

/// <summary>Refreshes every configured region's forecast (falling back where the provider fails), then asks for a replan.</summary>
[DisallowConcurrentExecution]
public sealed class RefreshForecastsJob(ForecastService forecasts, CarbonOptions options) : IJob
{
    public static readonly JobKey Key = new("refresh-forecasts", "carbon");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var region in options.PlannedRegions)
        {
            await forecasts.RefreshAsync(region, cancellationToken);
        }
        await context.Scheduler.TriggerJob(ReplanJob.Key, cancellationToken);
    }
}
