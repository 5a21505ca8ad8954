using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.AppHost.Experiments;

/// <summary>A row in the dashboard's resource list that shows where the experiments stand (no process behind it).</summary>
public sealed class ExperimentsResource(string name) : Resource(name);

/// <summary>
/// Puts the experiments in the dashboard's resource list: the row's state is the newest experiment's
/// ("demo-digits-1a2b: paused at 42% in DE"), and its properties list every experiment. The AppHost reads the
/// progress hashes the workers write, every two seconds once the store is healthy, so what the row says is what
/// the Scheduler and Telemetry read too.
/// </summary>
public static class ExperimentsResourceExtensions
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);

    public static IResourceBuilder<ExperimentsResource> AddExperimentsView(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<IResourceWithConnectionString> store)
    {
        var view = builder.AddResource(new ExperimentsResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Experiments",
                State = new ResourceStateSnapshot("Waiting for the store", KnownResourceStateStyles.Info),
                Properties = [],
            })
            .ExcludeFromManifest();
        store.OnResourceReady((_, ready, _) =>
        {
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = ready.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(view.Resource);
            _ = Task.Run(() => FollowAsync(view.Resource, store.Resource, notifications, logger, stopping), stopping);
            return Task.CompletedTask;
        });
        return view;
    }

    private static async Task FollowAsync(ExperimentsResource view, IResourceWithConnectionString store, ResourceNotificationService notifications,
        ILogger logger, CancellationToken stopping)
    {
        try
        {
            var connectionString = await store.ConnectionStringExpression.GetValueAsync(stopping);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString!);
            var experiments = new ExperimentStore(new GreenTrainStore(connection));
            using var timer = new PeriodicTimer(PollEvery);
            string? last = null;
            do
            {
                try
                {
                    var (state, style, properties) = ExperimentsSummary.Describe(await experiments.ListProgressAsync(20));
                    if (state != last)
                    {
                        logger.LogInformation("{State}", state); // the row's history, in its own log
                        last = state;
                    }
                    await notifications.PublishUpdateAsync(view, s => s with
                    {
                        State = new ResourceStateSnapshot(state, style),
                        Properties = properties,
                    });
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    await notifications.PublishUpdateAsync(view, s => s with
                    {
                        State = new ResourceStateSnapshot("Store not answering", KnownResourceStateStyles.Warn),
                    });
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
