using System.Text.Json;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.CrossDevice;

/// <summary>
/// Issue 4's "restore on any worker, CPU to GPU and back", checked on a GPU machine: one run trains a third of
/// its steps on CPU, a third on CUDA and a third on CPU again, each leg restored from the previous leg's
/// checkpoint through a real store. After each restore the state is captured again and compared byte for byte
/// with the checkpoint it came from (weights, optimizer moments, buffers, CPU generator); at the end the run's
/// test loss and accuracy are printed beside straight runs on each device (those differ by float rounding only).
/// </summary>
public static class CrossDeviceCheck
{
    /// <param name="request">The GPU leg's device; cpu runs every leg on CPU, a dry run of the check on a machine without a GPU.</param>
    public static async Task<int> RunAsync(DeviceRequest request, string? libTorch, int stepsPerLeg, string output)
    {
        var (choice, error) = DeviceSelector.Select(request.Kind == DeviceRequestKind.Auto ? DeviceRequest.Cuda : request, libTorch, Console.WriteLine);
        if (choice is null)
        {
            throw new UsageException($"this check needs a CUDA device: {error}");
        }
        await using var server = await StoreServers.StartAsync("garnet");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new CheckpointStore(new GreenTrainStore(connection), Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance);
        var spec = Spec(3 * stepsPerLeg);
        var id = $"xdev-{Guid.NewGuid():N}"[..17];

        var legs = new List<Leg>();
        LoadedCheckpoint? checkpoint = null;
        (double Loss, double? Accuracy) final = default;
        foreach (var device in new[] { CPU, choice.Device, CPU })
        {
            using var state = TrainingSession.Prepare(spec, device, cpuThreads: 1);
            bool? exact = null;
            if (checkpoint is not null)
            {
                TrainingCheckpoint.Restore(state, checkpoint);
                exact = SameTensorSections(checkpoint, TrainingCheckpoint.Capture(state, id, "xdev"));
            }
            var from = state.Step;
            Train(state, until: from + stepsPerLeg);
            legs.Add(new Leg(device.ToString(), from, state.Step, state.TrainLoss ?? double.NaN, exact));
            await store.SaveAsync(TrainingCheckpoint.Capture(state, id, "xdev"));
            checkpoint = (await store.LoadLatestAsync(id, state.SpecHash)).Checkpoint
                ?? throw new InvalidOperationException("the checkpoint just saved did not load");
            final = Evaluator.Evaluate(state.Network, state.Data.Test, 512, null, state.Parameters.ComputeType);
        }
        var straight = new[] { CPU, choice.Device }.Select(d => (Device: d.ToString(), Score: Straight(spec, d))).ToList();

        Console.WriteLine();
        Console.WriteLine("| leg | device | steps | train loss at end | state after restore identical to checkpoint |");
        Console.WriteLine("| ---: | --- | --- | ---: | --- |");
        for (var i = 0; i < legs.Count; i++)
        {
            var leg = legs[i];
            Console.WriteLine($"| {i + 1} | {leg.Device} | {leg.From} -> {leg.To} | {leg.TrainLoss:F4} | {(leg.RestoredExactly is { } e ? (e ? "yes" : "NO") : "(fresh start)")} |");
        }
        Console.WriteLine();
        Console.WriteLine("| run | test loss | test accuracy |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| cpu -> {choice.Device} -> cpu | {final.Loss:F4} | {final.Accuracy:P2} |");
        foreach (var (device, score) in straight)
        {
            Console.WriteLine($"| straight on {device} | {score.Loss:F4} | {score.Accuracy:P2} |");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { device = choice.Description, legs, final, straight = straight.Select(s => new { s.Device, s.Score.Loss, s.Score.Accuracy }) },
            new JsonSerializerOptions { WriteIndented = true, IncludeFields = true }));
        Console.WriteLine($"wrote {output}");
        return legs.All(l => l.RestoredExactly != false) ? 0 : 1;
    }

    /// <summary>An MLP on the embedded digits with AdamW (so the optimizer holds two moments per weight), fp32.</summary>
    private static ExperimentSpec Spec(int steps) => new()
    {
        Name = "cross-device-digits",
        Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 256, Depth = 2 },
        Training = new TrainingSpec
        {
            Steps = steps, BatchSize = 64, EvalEverySteps = steps, EvalBatches = 4, Seed = 7,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = 0.001, WeightDecay = 0.01 },
        },
    };

    private static void Train(TrainingState state, long until) =>
        new TrainingLoop([.. TrainingSession.StandardObservers(state.Spec), new StopAt(until)], NullLogger.Instance)
            .Run(state);

    private static (double Loss, double? Accuracy) Straight(ExperimentSpec spec, Device device)
    {
        using var state = TrainingSession.Prepare(spec, device, cpuThreads: 1);
        Train(state, state.TotalSteps);
        return Evaluator.Evaluate(state.Network, state.Data.Test, 512, null, state.Parameters.ComputeType);
    }

    /// <summary>Every tensor section (all but the JSON "state", which records the device and time) is byte-identical.</summary>
    private static bool SameTensorSections(LoadedCheckpoint loaded, CheckpointSnapshot again) =>
        again.Sections.Where(s => s.Name != TrainingCheckpoint.StateSection)
            .All(s => loaded.Sections.TryGetValue(s.Name, out var bytes) && bytes.AsSpan().SequenceEqual(s.Data.Span));

    private sealed class StopAt(long step) : ITrainingObserver
    {
        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepEnd && state.Step >= step)
            {
                state.StopReason = $"leg ends at step {step}";
                state.Suspended = true;
            }
        }
    }

    private sealed record Leg(string Device, long From, long To, double TrainLoss, bool? RestoredExactly);
}
