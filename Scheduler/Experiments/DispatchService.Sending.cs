using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Leadership;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>How a decision becomes a command on a region's queue: planned ones exactly once per decision, a user's as asked.</summary>
public sealed partial class DispatchService
{
    /// <summary>
    /// The id of the planned command decided at <paramref name="sequence"/> for an experiment. Made from the record, not
    /// drawn at random: a leader that queued it and died before saving the record leaves the sequence as it was, so its
    /// successor deciding that step again makes this same id, and the queue (which knows ids it holds or applied) skips it.
    /// </summary>
    public static string PlannedCommandId(string experimentId, long sequence) => $"{experimentId}.plan.{sequence}";

    /// <summary>
    /// Sends the planned command for <paramref name="record"/>'s current dispatch sequence under <paramref name="leader"/>;
    /// returns the sequence the record saved after it must carry (one more), whether this call queued it or a
    /// predecessor already had.
    /// </summary>
    public async Task<long> SendPlannedAsync(ExperimentRecord record, string region, TrainerCommandKind kind, DateTimeOffset now, LeaseTerm leader)
    {
        ArgumentNullException.ThrowIfNull(record);
        var command = new TrainerCommand(PlannedCommandId(record.Id, record.DispatchSequence), record.Id, kind, now);
        await SendAsync(region, command, leader);
        return record.DispatchSequence + 1;
    }

    /// <summary>
    /// Sends a command the user asked for (pause or cancel through the API of any replica): each request is its own
    /// decision, so it gets a fresh id and is sent as asked, leader or not.
    /// </summary>
    public Task SendAsync(string region, string experimentId, TrainerCommandKind kind, DateTimeOffset now) =>
        SendAsync(region, new TrainerCommand(Guid.NewGuid().ToString("N"), experimentId, kind, now), leader: null);

    /// <summary>
    /// Sets the control hash for a pause or cancel (the worker training the run takes no other command) and queues it.
    /// With <paramref name="leader"/> (a planned dispatch) the queue takes it only while that term leads, and the control
    /// hash is set only after, so a lapsed leader changes nothing.
    /// </summary>
    private async Task SendAsync(string region, TrainerCommand command, LeaseTerm? leader)
    {
        var control = command.Kind is TrainerCommandKind.Pause or TrainerCommandKind.Cancel;
        if (control && leader is null)
        {
            await runs.RequestAsync(command);
        }
        var result = await commands.EnqueueAsync(region, command, leader);
        if (result == EnqueueResult.NotLeader)
        {
            throw new Leadership.LeadershipLostException(leader!, $"{command.Kind} for {command.ExperimentId} in {region}");
        }
        if (result is EnqueueResult.AlreadyQueued or EnqueueResult.AlreadyApplied)
        {
            // A predecessor queued this very decision and stopped before saving the record: sending it again would
            // repeat it, and its control request (if any) was made when it was queued.
            LogAlreadySent(logger, command.CommandId, command.Kind, command.ExperimentId, region, result);
            return;
        }
        if (control && leader is not null)
        {
            await runs.RequestAsync(command);
        }
        LogCommand(logger, command.Kind, command.ExperimentId, region);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} ({Kind} for {ExperimentId} in {Region}) was sent before ({Result}); not sent again")]
    private static partial void LogAlreadySent(ILogger logger, string commandId, TrainerCommandKind kind, string experimentId, string region, EnqueueResult result);
}
