using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// Turns plans into commands: at each moment an experiment should be running where its plan's current
/// interval says, and nowhere when no interval covers now. Where that differs from its state, it queues
/// start, resume or pause commands on the regions' queues (a move is a pause where it was and a resume
/// where it goes: the checkpoint is in the shared store) and records the new state.
/// </summary>
public sealed partial class DispatchService(
    ExperimentStore experiments, ICommandSink commands, ExperimentLock gate, TimeProvider time, ILogger<DispatchService> logger)
{
    /// <summary>Dispatches what is due now; returns the next plan boundary after now, when to run again.</summary>
    public Task<DateTimeOffset?> DispatchAsync(CancellationToken cancellationToken) => gate.RunAsync(DispatchLockedAsync, cancellationToken);

    private async Task<DateTimeOffset?> DispatchLockedAsync()
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var record in await experiments.ListAsync())
        {
            if (record.IsFinished || record.Plan is not { } plan)
            {
                continue;
            }
            var current = plan.Intervals.FirstOrDefault(i => i.Start <= now && now < i.End);
            var wanted = record.HeldByUser ? null : current?.Region;
            var updated = await ApplyAsync(record, wanted, now);
            if (updated != record)
            {
                await experiments.SaveAsync(updated with { UpdatedAt = now });
            }
            foreach (var boundary in plan.Intervals.SelectMany(i => new[] { i.Start, i.End }).Where(b => b > now))
            {
                next = next is null || boundary < next ? boundary : next;
            }
        }
        return next;
    }

    private async Task<ExperimentRecord> ApplyAsync(ExperimentRecord record, string? wanted, DateTimeOffset now)
    {
        switch (record.State)
        {
            case ExperimentState.Queued when wanted is not null:
                await SendAsync(wanted, record.Id, TrainerCommandKind.Start, now);
                return record with { State = ExperimentState.Running, Region = wanted };
            case ExperimentState.Paused when wanted is not null:
                await SendAsync(wanted, record.Id, TrainerCommandKind.Resume, now);
                return record with { State = ExperimentState.Running, Region = wanted };
            case ExperimentState.Running when wanted is null && record.Region is { } region:
                await SendAsync(region, record.Id, TrainerCommandKind.Pause, now);
                return record with { State = ExperimentState.Paused };
            case ExperimentState.Running when wanted is not null && record.Region is { } from && !from.Equals(wanted, StringComparison.OrdinalIgnoreCase):
                await SendAsync(from, record.Id, TrainerCommandKind.Pause, now);
                await SendAsync(wanted, record.Id, TrainerCommandKind.Resume, now);
                return record with { Region = wanted };
            default:
                return record;
        }
    }

    public async Task SendAsync(string region, string experimentId, TrainerCommandKind kind, DateTimeOffset now)
    {
        var command = new TrainerCommand(Guid.NewGuid().ToString("N"), experimentId, kind, now);
        await commands.EnqueueAsync(region, command);
        LogCommand(logger, kind, experimentId, region);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Kind} for experiment {ExperimentId} in {Region}")]
    private static partial void LogCommand(ILogger logger, TrainerCommandKind kind, string experimentId, string region);
}
