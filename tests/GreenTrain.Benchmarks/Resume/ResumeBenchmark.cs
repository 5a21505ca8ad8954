using System.Diagnostics;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Cli;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.Resume;

/// <summary>
/// Two figures of issue 4: (1) what checkpointing costs the training thread (the copy to host memory plus any
/// wait for the background writer), as a share of training time at one checkpoint a minute; (2) the time from a
/// Resume command to the first training step, through a real worker and store, for a model of --size-mb.
/// The model is an MLP on the digits whose hidden width gives the asked-for parameter size (fp32, SGD).
/// </summary>
public static class ResumeBenchmark
{
    public static async Task<int> RunAsync(ResumeArguments arguments)
    {
        var (choice, error) = DeviceSelector.Select(arguments.Device, arguments.LibTorch, Console.WriteLine);
        if (choice is null)
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }
        // --store redis|garnet starts that server here (the GPU machine has no redis-server: use garnet there);
        // anything else is a connection string to an existing store.
        var kind = arguments.Store ?? "redis";
        await using var server = kind is "redis" or "garnet" ? await StoreServers.StartAsync(kind) : null;
        var connectionString = server?.ConnectionString ?? kind;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var spec = arguments.Model == "gpt" ? GptSpec(arguments.Text) : Spec(arguments.SizeMiB);

        var overhead = await MeasureOverheadAsync(spec, choice.Device, arguments, connection);
        var resume = await MeasureResumeAsync(spec, arguments, connectionString, connection);
        var results = new { device = choice.Description, model = spec.Name, sizeMiB = arguments.SizeMiB, overhead, resume, machine = Environment.MachineName, cores = Environment.ProcessorCount, at = DateTimeOffset.UtcNow };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine();
        Console.WriteLine("| device | model | model MiB | step s | checkpoint MiB | copy to host s (training thread) | background save s | overhead at 1/min | resume command -> first step s |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| {choice.Description} | {spec.Name} | {overhead.ParameterMiB:F0} | {overhead.StepSeconds:F3} | {overhead.CheckpointMiB:F0} | {overhead.CostPerCheckpointSeconds:F3} | {overhead.BackgroundSaveSeconds:F2} | {overhead.ShareAtOnePerMinute:P2} | {resume.CommandToFirstStepSeconds:F2} |");
        Console.WriteLine($"wrote {arguments.Output}");
        return 0;
    }

    /// <summary>The GPT of the throughput benchmark (nanoGPT-sized, bf16, AdamW: a checkpoint is about 3x the fp32 weights).</summary>
    private static ExperimentSpec GptSpec(string textPath)
    {
        var spec = Trainer.Benchmarks.BenchCases.Gpt(textPath, "bf16", steps: 1_000_000, quick: false);
        return spec with
        {
            Training = spec.Training with { EvalEverySteps = 1_000_000, EvalBatches = 1 },
            Checkpoint = new CheckpointPolicy { EverySeconds = 60, KeepLast = 2 },
        };
    }

    private static ExperimentSpec Spec(int sizeMiB)
    {
        // Two hidden layers of width w hold about w^2 + 75 w parameters; solve for the asked-for size in fp32.
        var parameters = sizeMiB * 1024.0 * 1024 / 4;
        var width = (int)Math.Round((-75 + Math.Sqrt(75 * 75 + 4 * parameters)) / 2);
        return new ExperimentSpec
        {
            Name = $"resume-bench-{sizeMiB}mb",
            Model = new ModelSpec { Kind = ModelKind.Mlp, Width = width, Depth = 2 },
            Training = new TrainingSpec
            {
                Steps = 1_000_000, BatchSize = 64, EvalEverySteps = 1_000_000, EvalBatches = 1,
                Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd, LearningRate = 0.01, Momentum = 0.9 },
            },
            Checkpoint = new CheckpointPolicy { EverySeconds = 60, KeepLast = 2 },
        };
    }

    private static async Task<OverheadResult> MeasureOverheadAsync(ExperimentSpec spec, Device device, ResumeArguments arguments, IConnectionMultiplexer connection)
    {
        var store = new CheckpointStore(new GreenTrainStore(connection), Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance);
        using var state = TrainingSession.Prepare(spec with { Training = spec.Training with { Steps = arguments.Steps } }, device, RunOptions.DefaultCpuThreads);
        await using var writer = new BackgroundCheckpointWriter(store, NullLogger<BackgroundCheckpointWriter>.Instance, keepLast: 2);
        var timer = new CheckpointTimer(writer, arguments.CheckpointEvery, $"bench-{Guid.NewGuid():N}"[..18]);
        var clock = Stopwatch.StartNew();
        new TrainingLoop([timer], NullLogger.Instance) { LogEverySteps = 1 }.Run(state);
        var total = clock.Elapsed.TotalSeconds;
        await writer.FlushAsync();
        var saves = (await Task.WhenAll(timer.Saves)).Where(r => r.Status == CheckpointSaveStatus.Committed).ToList();
        var saveSeconds = saves.Count == 0 ? double.NaN : saves.Average(r => r.Duration.TotalSeconds);
        var costPerCheckpoint = timer.Costs.Average();
        var stepSeconds = (total - timer.Costs.Sum() - timer.Waits.Sum()) / arguments.Steps;
        return new OverheadResult(state.Parameters.Count * 4 / 1048576.0, stepSeconds, timer.Bytes / 1048576.0, costPerCheckpoint,
            costPerCheckpoint / 60, timer.Costs.Count, saveSeconds, timer.Waits.Average());
    }

    private static async Task<ResumeResult> MeasureResumeAsync(ExperimentSpec spec, ResumeArguments arguments, string connectionString, IConnectionMultiplexer connection)
    {
        var region = $"bench-{Guid.NewGuid():N}"[..14];
        using var host = WorkerCommand.CreateHost(["--store", connectionString, "--region", region, $"--Worker:Device={arguments.Device}",
            "--Worker:LogEverySteps=1", "--Worker:ProgressEverySeconds=0", "--Worker:ControlPollInterval=00:00:00.050",
            "--CommandQueue:PollInterval=00:00:00.050", "--Energy:UseNvml=false", "--Logging:LogLevel:Default=Warning",
            .. arguments.LibTorch is null ? Array.Empty<string>() : [$"--Worker:LibTorch={arguments.LibTorch}"]]);
        await host.StartAsync();
        var shared = new GreenTrainStore(connection);
        var experiments = new ExperimentStore(shared);
        var producer = new CommandProducer(shared);
        var id = $"bench-{Guid.NewGuid():N}"[..18];
        await experiments.WriteSpecAsync(id, spec);
        await Send(TrainerCommandKind.Start);
        await WaitAsync(p => p is { State: ExperimentRunState.Running, ResumedFromStep: { } from } && p.Step >= from + 2);
        await Send(TrainerCommandKind.Pause);
        var paused = await WaitAsync(p => p.State == ExperimentRunState.Paused);
        var clock = Stopwatch.StartNew();
        await Send(TrainerCommandKind.Resume);
        await WaitAsync(p => p is { State: ExperimentRunState.Running, ResumedFromStep: { } from } && from == paused.Step && p.Step > from);
        var seconds = clock.Elapsed.TotalSeconds;
        await Send(TrainerCommandKind.Cancel);
        await WaitAsync(p => p.State == ExperimentRunState.Cancelled);
        await host.StopAsync();
        return new ResumeResult(paused.Step, seconds);

        async Task Send(TrainerCommandKind kind)
        {
            var command = new TrainerCommand(Guid.NewGuid().ToString("N"), id, kind, DateTimeOffset.UtcNow);
            var desired = kind switch { TrainerCommandKind.Pause => DesiredRunState.Pause, TrainerCommandKind.Cancel => DesiredRunState.Cancel, _ => DesiredRunState.Run };
            await experiments.RequestAsync(id, desired, command.IssuedAt, command.CommandId);
            await producer.EnqueueAsync(region, command);
        }

        async Task<ExperimentProgress> WaitAsync(Func<ExperimentProgress, bool> condition)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
            while (DateTime.UtcNow < deadline)
            {
                if (await experiments.ReadProgressAsync(id) is { } p && condition(p)) return p;
                await Task.Delay(10); // a 10 ms poll bounds the measurement error
            }
            throw new TimeoutException($"experiment {id} did not reach the expected state");
        }
    }

    /// <summary>Checkpoints every N steps, timing what the training thread pays: the copy to host and any back-pressure wait.</summary>
    private sealed class CheckpointTimer(BackgroundCheckpointWriter writer, int every, string experimentId) : ITrainingObserver
    {
        public List<double> Costs { get; } = [];

        public List<double> Waits { get; } = [];

        public List<Task<CheckpointSaveResult>> Saves { get; } = [];

        public long Bytes { get; private set; }

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.StepEnd || state.Step % every != 0) return;
            var clock = Stopwatch.StartNew();
            var snapshot = TrainingCheckpoint.Capture(state, experimentId, "bench");
            Costs.Add(clock.Elapsed.TotalSeconds);
            // Saves here come every few steps, far more often than one a minute, so the writer is often busy:
            // that wait is measured apart, since at one checkpoint a minute the writer is idle when the next one comes.
            clock.Restart();
            var saved = writer.SubmitAsync(snapshot).AsTask().GetAwaiter().GetResult();
            Waits.Add(clock.Elapsed.TotalSeconds);
            Saves.Add(saved);
            Bytes = snapshot.TotalBytes;
        }
    }

    /// <param name="CostPerCheckpointSeconds">The copy to host memory on the training thread (what a checkpoint a minute costs the step).</param>
    /// <param name="BackgroundSaveSeconds">Hashing and uploading in the background, per checkpoint (overlaps training).</param>
    /// <param name="WaitSeconds">Back-pressure waits in this benchmark (checkpoints every few steps); zero at one a minute while saves take under a minute.</param>
    private sealed record OverheadResult(double ParameterMiB, double StepSeconds, double CheckpointMiB, double CostPerCheckpointSeconds,
        double ShareAtOnePerMinute, int Checkpoints, double BackgroundSaveSeconds, double WaitSeconds);

    private sealed record ResumeResult(long PausedAtStep, double CommandToFirstStepSeconds);
}
