using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Testing.Store;
using StackExchange.Redis;

namespace GreenTrain.EndToEnd.Tests.Lifecycle;

/// <summary>
/// Ctrl-C on the AppHost while a trainer trains: the services stop first, so the trainer's checkpoint on the way out
/// reaches the embedded store (inside the AppHost), which stops last. Read back from the store's files afterwards.
/// The AppHost runs as its own process, as `dotnet run` runs it: stopping it inside the test harness
/// (DistributedApplication.StopAsync) happens to stop the services first even without the fix, and so proves nothing.
/// </summary>
public sealed class ShutdownOrderTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    // Checkpoints only on the way out: no periodic one (a step count it never reaches), so a committed checkpoint
    // can only be the shutdown's.
    private const string SpecJson = """
        {"name":"shutdown-digits","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":256,"depth":2},
         "training":{"epochs":400,"batchSize":64,"precision":"fp32","seed":7,"evalEverySteps":100000,
           "optimizer":{"kind":"adamw","learningRate":0.003,"weightDecay":0.01}},
         "checkpoint":{"everySteps":1000000,"keepLast":2},
         "carbon":{"pausable":true,"allowedRegions":["DE"]}}
        """;

    [Fact]
    public async Task Ctrl_c_on_the_apphost_process_mid_run_commits_the_trainers_final_checkpoint_to_the_embedded_store()
    {
        var dataPath = TempFolder.Create("shutdown-sigint-store");
        var id = SharedStoreServers.UniqueId("exp-sigint");
        var port = FreePort();
        const string password = "e2e-shutdown-password";
        ExperimentProgress running;

        using (var appHost = AppHostProcess.Start(dataPath, port, password))
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            var connection = await ConnectWhenUpAsync($"127.0.0.1:{port},password={password},abortConnect=false", appHost, cts.Token);
            await using (connection)
            {
                var store = new GreenTrainStore(connection);
                // The DE trainer serves its queue once its presence entry is there.
                while (await new WorkerPresence(store, Microsoft.Extensions.Options.Options.Create(new CommandQueueOptions())).CountLiveAsync("DE") == 0)
                {
                    appHost.HasExited.Should().BeFalse(appHost.Output);
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token);
                }
                var experiments = new ExperimentStore(store);
                await experiments.WriteSpecAsync(id, ExperimentSpecJson.Parse(SpecJson).Spec!);
                await new CommandProducer(store).EnqueueAsync("DE", new TrainerCommand(Guid.NewGuid().ToString("N"), id, TrainerCommandKind.Start, DateTimeOffset.UtcNow));
                running = await WaitForAsync(experiments, id, p => p is { State: ExperimentRunState.Running, Step: >= 20 }, cts.Token);
            }
            appHost.IgnoresSigint().Should().BeFalse("the AppHost must get SIGINT as a terminal's Ctrl-C delivers it");
            await appHost.InterruptAndWaitAsync(TimeSpan.FromMinutes(1));
        }

        await using var reopened = await GarnetServerInProcess.StartAsync(dataPath);
        await using var reader = await ConnectionMultiplexer.ConnectAsync(reopened.ConnectionString);
        var index = await reader.GetDatabase().SortedSetRangeByRankAsync(StoreKeys.CheckpointIndex(id));
        var progress = await new ExperimentStore(new GreenTrainStore(reader)).ReadProgressAsync(id);

        index.Should().ContainSingle("the trainer checkpointed on its way out, and the store was still there to commit it");
        progress!.CheckpointStep.Should().BeGreaterThanOrEqualTo(running.Step);
        progress.Message.Should().Contain("worker stopped");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<ConnectionMultiplexer> ConnectWhenUpAsync(string connectionString, AppHostProcess appHost, CancellationToken cancellationToken)
    {
        while (true)
        {
            appHost.HasExited.Should().BeFalse(appHost.Output);
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
                if (connection.IsConnected)
                {
                    return connection;
                }
                await connection.DisposeAsync();
            }
            catch (RedisConnectionException)
            {
                // not listening yet
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static async Task<ExperimentProgress> WaitForAsync(ExperimentStore experiments, string id, Func<ExperimentProgress, bool> condition,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await experiments.ReadProgressAsync(id) is { } progress && condition(progress))
            {
                return progress;
            }
            // Polling the progress hash the worker writes (the state under test), not a guess at how long training takes.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}
