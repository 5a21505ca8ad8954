using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// The worker: takes its region's commands one at a time (CommandProcessor: lease, heartbeat, duplicates
/// and stale commands skipped, acknowledged after) and hands each to the runner (start, resume) or the
/// control handler (pause, cancel). It never stops on an error: a store outage is waited out.
/// </summary>
public sealed class TrainerWorker(
    CommandProcessor processor,
    ExperimentRunner runner,
    ControlCommandHandler control,
    WorkerDevice device,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<TrainerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        await Task.Yield();
        if (device.Choose() is { } deviceError)
        {
            // A worker without its device must not take commands it cannot run.
            WorkerLog.Failed(logger, "(worker)", $"Worker:Device {settings.Device}: {deviceError}");
            lifetime.StopApplication();
            return;
        }
        WorkerLog.Serving(logger, settings.ResolvedWorkerId, settings.Region);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var outcome = await processor.HandleNextAsync(settings.Region, (command, token) => HandleAsync(command, token, stoppingToken), stoppingToken);
                WorkerLog.CommandEnded(logger, outcome.Command.ExperimentId, outcome.Command.Kind, outcome.Command.CommandId, outcome.Result.ToString());
                if (outcome.Result == CommandResult.Failed && outcome.Deliveries >= processor.MaxDeliveries)
                {
                    // Its last delivery: the failure message the run wrote promised a retry that will not come.
                    await runner.RecordGivenUpAsync(outcome.Command.ExperimentId, outcome.Deliveries);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                WorkerLog.LoopError(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private Task HandleAsync(TrainerCommand command, CancellationToken handlerToken, CancellationToken stoppingToken) => command.Kind switch
    {
        TrainerCommandKind.Start or TrainerCommandKind.Resume => runner.RunAsync(command, handlerToken, stoppingToken),
        _ => control.HandleAsync(command),
    };
}
