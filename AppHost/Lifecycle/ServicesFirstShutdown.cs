using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GreenTrain.AppHost.Lifecycle;

/// <summary>
/// On shutdown, stops every running project and waits for it to exit before the AppHost's own parts stop. Without it
/// the embedded store (inside the AppHost) and the orchestrator go first, and a trainer's graceful checkpoint on the
/// way out finds no store. Runs in the hosts' "stopping" phase, before any hosted service stops.
/// </summary>
internal sealed partial class ServicesFirstShutdown(
    DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands,
    ILogger<ServicesFirstShutdown> logger) : IHostedLifecycleService
{
    /// <summary>Longer than a trainer's checkpoint of a large model; shorter than the host's 30-second default stop budget would be.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(25);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        var projects = model.Resources.OfType<ProjectResource>().ToList();
        LogStopping(logger, projects.Count);
        try
        {
            // WaitAsync: the timeout bounds the whole stop even where a stop command does not observe its token, so a
            // hung command cannot keep Ctrl-C from ending the AppHost.
            await Task.WhenAll(projects.Select(p => StopAsync(p, timeout.Token))).WaitAsync(timeout.Token);
            LogStopped(logger, projects.Count);
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(logger, StopTimeout.TotalSeconds);
        }
    }

    private async Task StopAsync(ProjectResource project, CancellationToken cancellationToken)
    {
        if (!notifications.TryGetCurrentState(project.Name, out var current)
            || current.Snapshot.State?.Text != KnownResourceStates.Running)
        {
            return;
        }
        var result = await commands.ExecuteCommandAsync(project, KnownResourceCommands.StopCommand, cancellationToken);
        if (!result.Success)
        {
            // The orchestrator gave up waiting (a few seconds), but the service got its stop signal and may still be
            // finishing its last write: keep the store up until it exits or the shutdown's own timeout passes.
            LogStopFailed(logger, project.Name, result.Message ?? "no reason given");
        }
        await notifications.WaitForResourceAsync(project.Name,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: stopping {Count} services before the store and the orchestrator")]
    private static partial void LogStopping(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped {Count} services before the store and the orchestrator")]
    private static partial void LogStopped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Services still running after {Seconds} s of shutdown; stopping the rest anyway")]
    private static partial void LogTimedOut(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} did not confirm its stop ({Reason}); waiting for it to exit before the store stops")]
    private static partial void LogStopFailed(ILogger logger, string resource, string reason);
}
