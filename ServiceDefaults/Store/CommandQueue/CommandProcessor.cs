using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// One turn of a worker's loop: take a command, skip it if it was seen before or is stale, otherwise run the
/// handler while a heartbeat keeps the lease, then acknowledge. Delivery is at least once: a worker that
/// applies a command and dies before acknowledging it will see the command applied again elsewhere, so the
/// handler's effect on an experiment must be safe to repeat (pausing a paused run does nothing).
/// </summary>
public sealed partial class CommandProcessor(
    CommandConsumer consumer,
    AppliedCommands applied,
    ILogger<CommandProcessor> logger,
    Microsoft.Extensions.Options.IOptions<CommandQueueOptions>? options = null)
{
    /// <summary>Deliveries a command gets before the reaper moves it to the dead list instead of the queue.</summary>
    public int MaxDeliveries => (options?.Value ?? new CommandQueueOptions()).MaxDeliveries;

    /// <summary>
    /// Waits for the next command of <paramref name="region"/> and handles it. The handler's token is cancelled
    /// when the lease is lost or <paramref name="cancellationToken"/> fires; on the latter the command is given
    /// back to the front of the queue and the cancellation is rethrown.
    /// </summary>
    public async Task<CommandOutcome> HandleNextAsync(
        string region, Func<TrainerCommand, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var lease = await consumer.TakeAsync(region, cancellationToken);
        var command = lease.Command;
        var disposition = await applied.GetDispositionAsync(command);
        if (disposition != CommandDisposition.New)
        {
            LogSkipped(logger, command.CommandId, command.Kind, command.ExperimentId, disposition);
            await consumer.AcknowledgeAsync(lease);
            var skipped = disposition == CommandDisposition.Duplicate ? CommandResult.SkippedDuplicate : CommandResult.SkippedSuperseded;
            return new CommandOutcome(command, skipped, lease.Deliveries);
        }

        await using (var heartbeat = consumer.KeepAlive(lease))
        {
            using var handling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, heartbeat.LeaseLost);
            try
            {
                await handler(command, handling.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await consumer.ReleaseAsync(lease);
                throw;
            }
            catch (OperationCanceledException) when (heartbeat.LeaseLost.IsCancellationRequested)
            {
                return new CommandOutcome(command, CommandResult.LeaseLost, lease.Deliveries);
            }
            catch (Exception ex)
            {
                // Not acknowledged: the lease runs out and the reaper retries it, up to the delivery limit.
                if (lease.Deliveries >= MaxDeliveries)
                {
                    LogHandlerGaveUp(logger, ex, command.CommandId, command.Kind, command.ExperimentId, lease.Deliveries, MaxDeliveries);
                }
                else
                {
                    LogHandlerFailed(logger, ex, command.CommandId, command.Kind, command.ExperimentId, lease.Deliveries, MaxDeliveries);
                }
                return new CommandOutcome(command, CommandResult.Failed, lease.Deliveries, ex);
            }
        }

        if (!await consumer.AcknowledgeAsync(lease))
        {
            LogAckAfterLoss(logger, command.CommandId);
        }
        return new CommandOutcome(command, CommandResult.Applied, lease.Deliveries);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped command {CommandId} ({Kind} of experiment {ExperimentId}): {Disposition}")]
    private static partial void LogSkipped(ILogger logger, string commandId, TrainerCommandKind kind, string experimentId, CommandDisposition disposition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId} ({Kind} of experiment {ExperimentId}) failed on delivery {Deliveries} of {MaxDeliveries}; it will be retried when its lease expires")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string commandId, TrainerCommandKind kind, string experimentId, long deliveries, int maxDeliveries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId} ({Kind} of experiment {ExperimentId}) failed on its last delivery ({Deliveries} of {MaxDeliveries}, CommandQueue:MaxDeliveries); it goes to the dead list when its lease expires and will not be retried")]
    private static partial void LogHandlerGaveUp(ILogger logger, Exception exception, string commandId, TrainerCommandKind kind, string experimentId, long deliveries, int maxDeliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} was applied after its lease had expired; recorded as applied so a requeued copy is skipped")]
    private static partial void LogAckAfterLoss(ILogger logger, string commandId);
}
