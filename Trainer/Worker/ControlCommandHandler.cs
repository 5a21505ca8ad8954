using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Experiments;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Pause and cancel as queued commands. The worker that trains the experiment is busy inside its Start
/// command, so the command cannot reach it through the queue: it reaches it through the control hash,
/// which this handler sets (newer command wins) and which the training worker watches. When no worker
/// holds the experiment, the handler records the new state itself. Safe to apply twice.
/// </summary>
public sealed class ControlCommandHandler(ExperimentStore experiments, ExperimentOwnership ownership, ILogger<ControlCommandHandler> logger)
{
    public async Task HandleAsync(TrainerCommand command)
    {
        var desired = command.Kind == TrainerCommandKind.Pause ? DesiredRunState.Pause : DesiredRunState.Cancel;
        var id = command.ExperimentId;
        await experiments.RequestAsync(id, desired, command.IssuedAt, command.CommandId);
        var control = await experiments.GetControlAsync(id);
        if (control?.Desired != desired)
        {
            WorkerLog.Decision(logger, id, $"{command.Kind} superseded by a newer {control?.Desired} command");
            return;
        }
        if (await ownership.GetOwnerAsync(id) is { } owner)
        {
            WorkerLog.Decision(logger, id, $"{command.Kind} passed to {owner.Worker}, which trains it and stops at its next step");
            return;
        }
        await RecordIdleAsync(experiments, id, desired, logger);
    }

    /// <summary>Records pause or cancel for an experiment no worker is training (finished ones stay as they are).</summary>
    internal static async Task RecordIdleAsync(ExperimentStore experiments, string experimentId, DesiredRunState desired, ILogger logger)
    {
        var progress = await experiments.ReadProgressAsync(experimentId) ?? new ExperimentProgress(experimentId, ExperimentRunState.Queued);
        var state = desired == DesiredRunState.Pause ? ExperimentRunState.Paused : ExperimentRunState.Cancelled;
        if (progress.State is ExperimentRunState.Completed or ExperimentRunState.Cancelled || progress.State == state)
        {
            return;
        }
        await experiments.WriteProgressAsync(progress with { State = state, UpdatedAt = DateTimeOffset.UtcNow, Message = $"{state.ToString().ToLowerInvariant()} while not running" });
        WorkerLog.Decision(logger, experimentId, $"recorded {state} (not running anywhere)");
    }
}
