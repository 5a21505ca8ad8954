using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods;

/// <summary>
/// Every method pauses and resumes bit-identically on CPU, in every precision and with gradient accumulation:
/// the pause falls inside the method's active phase (pruning under way, fake quantization on), so its section
/// (masks, observed ranges) is what the continuation depends on.
/// </summary>
public sealed class MethodResumeTests
{
    private const int Steps = 40;

    public static TheoryData<string, PrecisionKind, int> Cases => new()
    {
        { "magnitude-pruning", PrecisionKind.Fp32, 2 },
        { "magnitude-pruning", PrecisionKind.Fp16, 1 },
        { "structured-sparsity", PrecisionKind.Bf16, 2 },
        { "quantization-aware", PrecisionKind.Fp32, 1 },
        { "quantization-aware", PrecisionKind.Bf16, 2 },
        { "pruning+quantization", PrecisionKind.Fp16, 2 },
        { "distillation", PrecisionKind.Fp32, 2 },
        { "distillation", PrecisionKind.Bf16, 1 },
        { "distillation+pruning", PrecisionKind.Fp16, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resume_with_the_methods_state_matches_the_uninterrupted_run(string methods, PrecisionKind precision, int accumulation)
    {
        var spec = MethodTesting.Digits(precision, Steps, accumulation, [.. MethodsOf(methods)]);

        var uninterrupted = Train(spec, restoreFrom: null, stopAtStep: null, out _);
        Train(spec, restoreFrom: null, stopAtStep: Steps / 2, out var snapshot);
        manual_seed(999); // a fresh process would not share the first half's generator state
        var resumed = Train(spec, restoreFrom: AsLoaded(snapshot!), stopAtStep: null, out _);

        snapshot!.Sections.Select(s => s.Name).Should().Contain(s => s.StartsWith(TrainingCheckpoint.MethodSectionPrefix));
        resumed.Parameters.Should().Equal(uninterrupted.Parameters, "every parameter must be bit-identical");
        resumed.Compute.Should().Equal(uninterrupted.Compute, "the copy the model computes with too (masked, rounded)");
        resumed.Evaluations.Should().Equal(uninterrupted.Evaluations);
        resumed.Sections.Should().BeEquivalentTo(uninterrupted.Sections, o => o.WithStrictOrdering());
    }

    private static IEnumerable<MethodSpec> MethodsOf(string name)
    {
        if (name.Contains("pruning")) yield return new MagnitudePruningSpec { FinalSparsity = 0.7, StartFraction = 0.2, EndFraction = 0.8, EverySteps = 4 };
        if (name == "structured-sparsity") yield return new StructuredSparsitySpec { PruneAtFraction = 0.25 };
        if (name.Contains("quantization")) yield return new QuantizationAwareSpec { DelayFraction = 0.25 };
        if (name.Contains("distillation")) yield return Distillation.DistillationTesting.From(Distillation.DistillationTesting.DigitsTeacher);
    }

    private static Outcome Train(ExperimentSpec spec, LoadedCheckpoint? restoreFrom, long? stopAtStep, out CheckpointSnapshot? snapshot)
    {
        using var state = TrainingSession.Prepare(spec, CPU);
        if (restoreFrom is not null) TrainingCheckpoint.Restore(state, restoreFrom);
        var stopper = new StopAndCapture(stopAtStep);
        TrainingSession.Loop(state, new RunOptions(), [stopper], NullLogger.Instance).Run(state);
        snapshot = stopper.Snapshot;
        return new Outcome(MethodTesting.Host(state.Parameters.Master), MethodTesting.Host(state.Parameters.Compute),
            [.. state.Evaluations.Select(e => (e.Step, e.Loss, e.Accuracy))], MethodTesting.SectionBytes(state));
    }

    private static LoadedCheckpoint AsLoaded(CheckpointSnapshot snapshot) => new(
        new CheckpointManifest(1, "test", snapshot.ExperimentId, snapshot.Step, snapshot.SpecHash, DateTimeOffset.UtcNow, []),
        snapshot.Sections.ToDictionary(s => s.Name, s => s.Data.ToArray()));

    private sealed record Outcome(float[] Parameters, float[] Compute, List<(long Step, double Loss, double? Accuracy)> Evaluations, List<byte[]> Sections);

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
