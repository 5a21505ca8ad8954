using System.Runtime.InteropServices;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// What a worker test needs around a real store: the Scheduler's side (spec, commands, control), a way to wait
/// for the progress the worker publishes (woken by its pub/sub message, never a fixed sleep), the checkpoints,
/// and the settings that make a worker quick to hand over (short leases) and exact to compare (one CPU thread).
/// </summary>
internal sealed class WorkerTestContext(IConnectionMultiplexer connection, string connectionString)
{
    public string Region { get; } = SharedStoreServers.UniqueId("region");

    public string ConnectionString => connectionString;

    public GreenTrainStore Store { get; } = new(connection);

    public ExperimentStore Experiments => new(Store);

    public CommandProducer Producer => new(Store);

    public CheckpointStore Checkpoints => new(Store, Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance);

    /// <summary>The worker's arguments: this store and region, CPU with one thread, progress at every step, short leases.</summary>
    public string[] WorkerArguments(string workerId, params string[] extra) =>
    [
        "--store", $"{connectionString},name={ClientName(workerId)}", "--region", Region,
        $"--Worker:WorkerId={workerId}", "--Worker:Device=cpu", "--Worker:CpuThreads=1",
        "--Worker:LogEverySteps=1", "--Worker:ProgressEverySeconds=0", "--Worker:ControlPollInterval=00:00:00.100",
        $"--CommandQueue:LeaseDuration={QueueOptions.LeaseDuration}", $"--CommandQueue:HeartbeatInterval={QueueOptions.HeartbeatInterval}",
        $"--CommandQueue:PollInterval={QueueOptions.PollInterval}", $"--CommandQueue:MaxDeliveries={QueueOptions.MaxDeliveries}",
        "--Energy:UseNvml=false", "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    /// <summary>The name a worker's store connections carry (CLIENT LIST shows it), so a test can tell when they are gone.</summary>
    public static string ClientName(string workerId) => $"worker-{workerId}";

    /// <summary>
    /// Waits until the store has dropped every connection of a killed worker. The store reads a connection's last
    /// commands before it sees the connection close, so from then on every write the worker sent before it died is in.
    /// </summary>
    public async Task WaitUntilDisconnectedAsync(string workerId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await IsConnectedAsync(workerId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The store still lists a connection of killed worker {workerId} after {timeout}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10)); // a few event-loop turns of the store
        }
    }

    /// <summary>Whether the store lists a connection of the worker (CLIENT LIST, an admin command).</summary>
    public async Task<bool> IsConnectedAsync(string workerId)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{connectionString},allowAdmin=true");
        return (await admin.GetServer(admin.GetEndPoints()[0]).ClientListAsync()).Any(c => c.Name == ClientName(workerId));
    }

    /// <summary>The queue settings <see cref="WorkerArguments"/> gives the worker.</summary>
    public CommandQueueOptions QueueOptions { get; } = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(1.5), HeartbeatInterval = TimeSpan.FromSeconds(0.4), PollInterval = TimeSpan.FromSeconds(0.1), MaxDeliveries = 100,
    };

    /// <summary>What the Scheduler does to start an experiment: write its spec, then queue a Start (unless told not to).</summary>
    public async Task<string> SubmitAsync(ExperimentSpec spec, bool queueStart = true)
    {
        var id = SharedStoreServers.UniqueId("exp");
        await Experiments.WriteSpecAsync(id, spec);
        if (queueStart)
        {
            await SendAsync(id, TrainerCommandKind.Start);
        }
        return id;
    }

    /// <summary>What the Scheduler (or the dashboard) does for a command: set the control hash, then queue the command.</summary>
    public async Task SendAsync(string experimentId, TrainerCommandKind kind)
    {
        var command = new TrainerCommand(Guid.NewGuid().ToString("N"), experimentId, kind, DateTimeOffset.UtcNow);
        if (kind != TrainerCommandKind.Start)
        {
            var desired = kind switch { TrainerCommandKind.Pause => DesiredRunState.Pause, TrainerCommandKind.Cancel => DesiredRunState.Cancel, _ => DesiredRunState.Run };
            await Experiments.RequestAsync(experimentId, desired, command.IssuedAt, command.CommandId);
        }
        (await Producer.EnqueueAsync(Region, command)).Should().Be(EnqueueResult.Queued);
    }

    /// <summary>Waits until the experiment's progress satisfies <paramref name="condition"/>: woken by each progress message, with a poll in case one is missed.</summary>
    public async Task<ExperimentProgress> WaitForAsync(string experimentId, Func<ExperimentProgress, bool> condition, TimeSpan timeout, Func<string>? diagnostics = null, Func<bool>? givenUp = null)
    {
        using var wake = new SemaphoreSlim(0);
        var channel = RedisChannel.Literal(StoreKeys.ProgressUpdatesChannel);
        Action<RedisChannel, RedisValue> handler = (_, message) => { if (message == experimentId) wake.Release(); };
        var subscriber = connection.GetSubscriber();
        await subscriber.SubscribeAsync(channel, handler);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var progress = await Experiments.ReadProgressAsync(experimentId);
                if (progress is not null && condition(progress)) return progress;
                if (DateTime.UtcNow > deadline || givenUp?.Invoke() == true)
                {
                    throw new TimeoutException($"Experiment {experimentId} did not reach the expected progress (within {timeout}, or its worker exited); last: {progress}. {diagnostics?.Invoke()}");
                }
                await wake.WaitAsync(TimeSpan.FromMilliseconds(200));
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, handler);
        }
    }

    /// <summary>The master weights of the newest good checkpoint, and its step.</summary>
    public async Task<(long Step, float[] Parameters)> NewestParametersAsync(string experimentId)
    {
        var loaded = await Checkpoints.LoadLatestAsync(experimentId, await StoredSpecHashAsync(experimentId));
        loaded.Found.Should().BeTrue("the worker writes a checkpoint when the run completes");
        return (loaded.Checkpoint!.Manifest.Step, MemoryMarshal.Cast<byte, float>(loaded.Checkpoint.Sections[TrainingCheckpoint.ParametersSection]).ToArray());
    }

    /// <summary>The hash of the spec as the worker reads it from the store (the JSON round trip fills in defaults).</summary>
    public async Task<string> StoredSpecHashAsync(string experimentId) =>
        ExperimentSpecJson.Hash(ExperimentSpecJson.Parse((await Experiments.ReadSpecAsync(experimentId))!).Spec!);

    /// <summary>The same spec trained in this process without interruption, on one CPU thread as the worker is told to.</summary>
    public static float[] UninterruptedParameters(ExperimentSpec spec)
    {
        using var state = TrainingSession.Prepare(spec, CPU, cpuThreads: 1);
        new TrainingLoop(TrainingSession.StandardObservers(spec), NullLogger.Instance).Run(state);
        return state.Parameters.Master.data<float>().ToArray();
    }

    /// <summary>An MLP on digits with SGD, checkpointed every <paramref name="checkpointEverySteps"/> steps and never by time.</summary>
    public static ExperimentSpec Spec(int steps, int checkpointEverySteps, int width = 64, int batchSize = 64) => new()
    {
        Name = "worker-digits",
        Model = new ModelSpec { Kind = ModelKind.Mlp, Width = width, Depth = 2 },
        Training = new TrainingSpec
        {
            Steps = steps,
            BatchSize = batchSize,
            EvalEverySteps = 50,
            EvalBatches = 1,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9 },
        },
        Checkpoint = new CheckpointPolicy { EverySteps = checkpointEverySteps, EverySeconds = null, KeepLast = 3 },
    };
}
