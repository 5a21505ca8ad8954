using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Start and Resume (the same thing: train from the newest good checkpoint, or from step 0 when there is
/// none). The queued command's lease is the run's ownership: the handler trains and returns only when the
/// run completes, pauses or is cancelled, so if this worker dies the lease expires, the command is requeued,
/// and whoever takes it resumes from the newest checkpoint. The experiment's owner claim keeps a second
/// command (a Resume sent while it runs) from starting a second copy. The parts are in partial files:
/// the decisions (this file) and one training attempt (.Attempt.cs).
/// </summary>
public sealed partial class ExperimentRunner(
    ExperimentStore experiments,
    ExperimentOwnership ownership,
    CheckpointStore checkpoints,
    GreenTrainStore store,
    WorkerDevice device,
    EnergyMeterFactory energyFactory,
    StoreEnergyWindowPublisher energyPublisher,
    IOptions<WorkerOptions> options,
    IOptions<ServiceDefaults.Data.DataRootsOptions> dataRoots,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<ExperimentRunner>();

    private WorkerOptions Settings => options.Value;

    /// <param name="handlerToken">Fires when the command's lease is lost or the worker shuts down.</param>
    /// <param name="shutdownToken">Fires only when the worker shuts down (the run then checkpoints and the command is requeued).</param>
    public async Task RunAsync(TrainerCommand command, CancellationToken handlerToken, CancellationToken shutdownToken)
    {
        var id = command.ExperimentId;
        await experiments.RequestAsync(id, DesiredRunState.Run, command.IssuedAt, command.CommandId);
        while (true)
        {
            handlerToken.ThrowIfCancellationRequested();
            var progress = await experiments.ReadProgressAsync(id);
            if (progress?.State is ExperimentRunState.Completed or ExperimentRunState.Cancelled)
            {
                WorkerLog.Decision(_logger, id, $"{command.Kind} ignored: the experiment is already {progress.State}");
                return;
            }
            var control = await experiments.GetControlAsync(id);
            if (control is { Desired: not DesiredRunState.Run })
            {
                await ControlCommandHandler.RecordIdleAsync(experiments, id, control.Desired, _logger);
                return;
            }

            var claim = await ownership.TryClaimAsync(id, Settings.ResolvedWorkerId, command.CommandId);
            if (claim is null)
            {
                var owner = await ownership.GetOwnerAsync(id);
                if (owner is not null && owner.CommandId != command.CommandId)
                {
                    // Another command holds the run. If its worker is alive (it renews the claim) this one needs
                    // nothing. If it died, its claim lapses: this command takes the run over now rather than being
                    // acknowledged while nobody trains until the dead worker's command is requeued (if ever).
                    if (await ownership.IsHolderAliveAsync(id, handlerToken))
                    {
                        WorkerLog.Decision(_logger, id, $"{command.Kind} needs nothing: {owner.Worker} is training it");
                        return;
                    }
                    WorkerLog.Decision(_logger, id, $"{command.Kind} takes over: {owner.Worker} stopped renewing its claim");
                    continue;
                }
                // This very command, requeued: the worker that held it died or lost its lease. Its claim lapses
                // within the lease duration; look again shortly (a store poll, not a guess at timing).
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250, ownership.Ttl.TotalMilliseconds / 4)), handlerToken);
                continue;
            }

            var end = await AttemptAsync(command, claim, progress, handlerToken, shutdownToken);
            if (end is null)
            {
                return;
            }
            switch (end.Kind)
            {
                case RunEndKind.Shutdown or RunEndKind.OwnershipLost:
                    // Not done: the processor gives the command back (shutdown) or leaves it to the new holder (lost lease).
                    throw new OperationCanceledException($"Experiment {id} stopped: {end.Message}", handlerToken);
                case RunEndKind.Paused when (await experiments.GetControlAsync(id))?.Desired == DesiredRunState.Run:
                    // A resume arrived while this run was pausing (and was skipped as "already running"): go on.
                    WorkerLog.Decision(_logger, id, "resumed again right after pausing: a newer command wants it running");
                    continue;
                default:
                    return;
            }
        }
    }
}
