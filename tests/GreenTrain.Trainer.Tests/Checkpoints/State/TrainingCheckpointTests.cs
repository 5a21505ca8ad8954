using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Checkpoints.State;

/// <summary>A run stopped halfway, checkpointed to a real store and restored into a fresh session, ends exactly where the uninterrupted run ends.</summary>
public sealed class TrainingCheckpointTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private const int Steps = 60;

    public static TheoryData<string, string> Cases => new()
    {
        { "redis", "digits-fp32" },
        { "garnet", "digits-fp16" },
        { "redis", "gpt-dropout" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resume_from_checkpoint_matches_uninterrupted_run(string kind, string specName)
    {
        var spec = SpecFor(specName);
        var store = NewStore(kind);
        var experimentId = SharedStoreServers.UniqueId("resume");

        var uninterrupted = Train(spec, restoreFrom: null, stopAtStep: null, out _);
        Train(spec, restoreFrom: null, stopAtStep: Steps / 2, out var snapshot);
        await store.SaveAsync(snapshot! with { ExperimentId = experimentId });
        manual_seed(999); // a fresh process would not share the first half's generator state
        var loaded = await store.LoadLatestAsync(experimentId, ExperimentSpecJson.Hash(spec));
        var resumed = Train(spec, restoreFrom: loaded.Checkpoint, stopAtStep: null, out _);

        loaded.Checkpoint!.Manifest.Step.Should().Be(Steps / 2);
        resumed.Parameters.Should().Equal(uninterrupted.Parameters, "every parameter must be bit-identical");
        resumed.OptimizerState.Should().Equal(uninterrupted.OptimizerState);
        resumed.Evaluations.Should().Equal(uninterrupted.Evaluations.Select(e => (e.Step, e.Loss, e.Accuracy)));
        resumed.LossScale.Should().Be(uninterrupted.LossScale);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_not_loaded()
    {
        Train(CheckpointSpecs.Digits(PrecisionKind.Fp32, Steps), restoreFrom: null, stopAtStep: 5, out var snapshot);
        var checkpoint = AsLoaded(snapshot!);
        var wider = CheckpointSpecs.Digits(PrecisionKind.Fp32, Steps) with { Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 96, Depth = 1 } };
        using var state = TrainingSession.Prepare(wider, CPU);

        var restore = () => TrainingCheckpoint.Restore(state, checkpoint);

        restore.Should().Throw<CheckpointIncompatibleException>().WithMessage("*parameters*");
    }

    private static ExperimentSpec SpecFor(string name) => name switch
    {
        "digits-fp32" => CheckpointSpecs.Digits(PrecisionKind.Fp32, Steps),
        "digits-fp16" => CheckpointSpecs.Digits(PrecisionKind.Fp16, Steps),
        _ => CheckpointSpecs.TinyGptWithDropout(Steps),
    };

    private CheckpointStore NewStore(string kind) => new(new GreenTrainStore(servers.Connection(kind)),
        Options.Create(new CheckpointOptions { ChunkSizeBytes = 16 * 1024 }), NullLogger<CheckpointStore>.Instance);

    /// <summary>Prepares a session as a new worker would, optionally restores it, and trains to the end or to <paramref name="stopAtStep"/>.</summary>
    private static RunOutcome Train(ExperimentSpec spec, LoadedCheckpoint? restoreFrom, long? stopAtStep, out CheckpointSnapshot? snapshot)
    {
        using var state = TrainingSession.Prepare(spec, CPU);
        if (restoreFrom is not null) TrainingCheckpoint.Restore(state, restoreFrom);
        var stopper = new StopAndCapture(stopAtStep);
        var loop = new TrainingLoop([.. TrainingSession.StandardObservers(spec), stopper], NullLogger.Instance);
        loop.Run(state);
        snapshot = stopper.Snapshot;
        return new RunOutcome(
            HostTensorsOf(state.Parameters.Master),
            [.. state.Optimizer.State.OrderBy(p => p.Key).SelectMany(p => HostTensorsOf(p.Value))],
            [.. state.Evaluations.Select(e => (e.Step, e.Loss, e.Accuracy))],
            state.Method<GreenTrain.Trainer.Methods.MixedPrecision.MixedPrecisionMethod>()?.LossScaler?.Scale);
    }

    private static float[] HostTensorsOf(Tensor tensor) => tensor.cpu().data<float>().ToArray();

    private static LoadedCheckpoint AsLoaded(CheckpointSnapshot snapshot) => new(
        new CheckpointManifest(1, "test", snapshot.ExperimentId, snapshot.Step, snapshot.SpecHash, DateTimeOffset.UtcNow, []),
        snapshot.Sections.ToDictionary(s => s.Name, s => s.Data.ToArray()));

    private sealed record RunOutcome(float[] Parameters, float[] OptimizerState, List<(long Step, double Loss, double? Accuracy)> Evaluations, double? LossScale);

    /// <summary>At the step boundary <paramref name="step"/>, captures a checkpoint and suspends the run, as a pause does.</summary>
    private sealed class StopAndCapture(long? step) : ITrainingObserver
    {
        public CheckpointSnapshot? Snapshot { get; private set; }

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.StepEnd || state.Step != step) return;
            Snapshot = TrainingCheckpoint.Capture(state, "capture", runId: "run-1");
            state.StopReason = "paused";
            state.Suspended = true;
        }
    }
}
