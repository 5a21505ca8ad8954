using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Experiments;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.AppHost.Commands;

/// <summary>
/// Pause and Resume on the trainer resource in the dashboard, for the experiment of its own region that it is
/// running (pause) or the one of its region most recently paused (resume): Pause on trainer-de never touches an
/// experiment in FR. Each sends what the Scheduler sends: the control hash first (so
/// the busy worker sees it at its next step), then the command on the experiment's region queue, with a
/// fresh command id and IssuedAt = now.
/// </summary>
public static class TrainingCommands
{
    public static IResourceBuilder<ProjectResource> WithTrainingCommands(this IResourceBuilder<ProjectResource> trainer,
        IResourceBuilder<IResourceWithConnectionString> store, string region)
    {
        trainer.WithCommand("pause-training", "Pause training", context => SendAsync(store, region, TrainerCommandKind.Pause, context),
            new CommandOptions
            {
                Description = $"Checkpoint the experiment running in {region} and free the device; Resume continues from the checkpoint.",
                IconName = "Pause",
                UpdateState = OnlyWhileRunning,
            });
        trainer.WithCommand("resume-training", "Resume training", context => SendAsync(store, region, TrainerCommandKind.Resume, context),
            new CommandOptions
            {
                Description = $"Continue the most recently paused experiment in {region} from its newest checkpoint.",
                IconName = "Play",
                UpdateState = OnlyWhileRunning,
            });
        return trainer;
    }

    /// <summary>
    /// The experiment a trainer's dashboard command is for: among the experiments in <paramref name="region"/> (a
    /// progress record without a region is the worker default, "local"), the newest running one for pause, the newest
    /// paused one for resume.
    /// </summary>
    public static ExperimentProgress? ChooseTarget(IEnumerable<ExperimentProgress> newestFirst, TrainerCommandKind kind, string region) =>
        newestFirst.FirstOrDefault(p => string.Equals(p.Region ?? "local", region, StringComparison.OrdinalIgnoreCase)
            && (kind == TrainerCommandKind.Pause
                ? p.State is ExperimentRunState.Running or ExperimentRunState.Pausing
                : p.State == ExperimentRunState.Paused));

    private static ResourceCommandState OnlyWhileRunning(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> SendAsync(IResourceBuilder<IResourceWithConnectionString> store, string region, TrainerCommandKind kind,
        ExecuteCommandContext context)
    {
        var connectionString = await store.Resource.ConnectionStringExpression.GetValueAsync(context.CancellationToken);
        if (string.IsNullOrEmpty(connectionString))
        {
            return CommandResults.Failure("The store has no connection string yet.");
        }
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
            var shared = new GreenTrainStore(connection);
            var experiments = new ExperimentStore(shared);
            var target = ChooseTarget(await experiments.ListProgressAsync(), kind, region);
            if (target is null)
            {
                return CommandResults.Failure(kind == TrainerCommandKind.Pause ? $"No experiment is running in {region}." : $"No experiment is paused in {region}.");
            }
            var command = new TrainerCommand(Guid.NewGuid().ToString("N"), target.ExperimentId, kind, DateTimeOffset.UtcNow);
            await experiments.RequestAsync(target.ExperimentId, kind == TrainerCommandKind.Pause ? DesiredRunState.Pause : DesiredRunState.Run,
                command.IssuedAt, command.CommandId);
            await new CommandProducer(shared).EnqueueAsync(region, command);
            context.Logger.LogInformation("{Kind} sent for experiment {ExperimentId} (command {CommandId})", kind, target.ExperimentId, command.CommandId);
            return CommandResults.Success();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return CommandResults.Failure($"The store did not answer: {ex.Message}");
        }
    }
}
