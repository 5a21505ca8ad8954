using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GreenTrain.AppHost.Lifecycle;

/// <summary>
/// Watches the resources' states and starts again a project marked <see cref="RestartOnCrashAnnotation"/> whose
/// process exited on its own: it went from running to exited with a non-zero code and was not being stopped (a stop
/// from the dashboard or at shutdown passes through "Stopping" and ends with code 0). The start is the dashboard's
/// own Start command, so the dashboard shows it as any start.
/// </summary>
internal sealed partial class CrashRestarter(
    ResourceNotificationService notifications, ResourceCommandService commands, ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime, ILogger<CrashRestarter> logger) : BackgroundService
{
    private readonly Dictionary<string, CrashHistory> _histories = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource is not ProjectResource project
                    || !project.TryGetLastAnnotation<RestartOnCrashAnnotation>(out var policy))
                {
                    continue;
                }
                var history = _histories.TryGetValue(change.ResourceId, out var known) ? known : _histories[change.ResourceId] = new CrashHistory();
                var state = change.Snapshot.State?.Text;
                if (!history.Observe(state, change.Snapshot.ExitCode) || lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    continue;
                }
                if (history.NextDelay(policy, DateTimeOffset.UtcNow) is not { } delay)
                {
                    LogGaveUp(logger, change.ResourceId, policy.MaxRestarts, policy.Window.TotalMinutes);
                    resourceLogs.GetLogger(project).LogError("Exited {Count} times within {Minutes} min; not restarted again (start it from the dashboard)",
                        policy.MaxRestarts, policy.Window.TotalMinutes);
                    continue;
                }
                _ = RestartAsync(project, change.ResourceId, change.Snapshot.ExitCode, delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    private async Task RestartAsync(ProjectResource project, string resourceId, int? exitCode, TimeSpan delay, CancellationToken stoppingToken)
    {
        LogRestarting(logger, resourceId, exitCode, delay.TotalSeconds);
        resourceLogs.GetLogger(project).LogWarning("Exited unexpectedly (code {ExitCode}); the AppHost starts it again in {Seconds:0.#} s", exitCode, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, stoppingToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogRestartFailed(logger, resourceId, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: nothing to restart for.
        }
        catch (Exception ex)
        {
            LogRestartFailed(logger, resourceId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} exited unexpectedly (exit code {ExitCode}); restarting it in {Seconds:0.#} s")]
    private static partial void LogRestarting(ILogger logger, string resource, int? exitCode, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} could not be restarted: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} exited {Count} times within {Minutes} min; it is left stopped")]
    private static partial void LogGaveUp(ILogger logger, string resource, int count, double minutes);
}
