using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.MixtureOfExperts;

/// <summary>A mixture-of-experts GPT pauses and resumes bit-identically on CPU: routers and experts are ordinary parameters, the load counters the method's section.</summary>
public sealed class MoeResumeTests : IDisposable
{
    private const int Steps = 20;
    private readonly MoeTesting _testing = new();

    [Theory]
    [InlineData(1, PrecisionKind.Fp32, 1)]
    [InlineData(2, PrecisionKind.Fp32, 2)]
    [InlineData(2, PrecisionKind.Bf16, 1)]
    public void Resume_matches_the_uninterrupted_run_bit_for_bit(int topK, PrecisionKind precision, int accumulation)
    {
        var spec = _testing.Spec(new MoeSpec { Experts = 4, TopK = topK, CapacityFactor = 1.0 }, precision, Steps, accumulation);

        var uninterrupted = Train(spec, restoreFrom: null, stopAtStep: null, out _);
        Train(spec, restoreFrom: null, stopAtStep: Steps / 2, out var snapshot);
        manual_seed(999);
        var resumed = Train(spec, restoreFrom: AsLoaded(snapshot!), stopAtStep: null, out _);

        snapshot!.Sections.Select(s => s.Name).Should().Contain(TrainingCheckpoint.MethodSectionPrefix + "moe");
        resumed.Parameters.Should().Equal(uninterrupted.Parameters, "every parameter, routers and experts included, must be bit-identical");
        resumed.Evaluations.Should().Equal(uninterrupted.Evaluations);
        resumed.Sections.Should().BeEquivalentTo(uninterrupted.Sections, o => o.WithStrictOrdering(), "the expert load counters continue where they stopped");
    }

    [Fact]
    public void A_checkpoint_of_the_per_expert_layout_is_rejected_with_the_parameter_that_changed()
    {
        var spec = _testing.Spec(new MoeSpec { Experts = 2, TopK = 1 }, steps: 2);
        Train(spec, restoreFrom: null, stopAtStep: 1, out var snapshot);
        var loaded = AsLoaded(snapshot!);
        var record = CheckpointStateRecord.Parse(loaded.Sections[TrainingCheckpoint.StateSection]);
        // Before the experts were stacked, each expert was its own pair of Linear layers: experts.E.expand.weight [hidden, width].
        var perExpert = record.ParameterLayout.SelectMany(entry => entry.StartsWith("blocks.0.moe.expand:", StringComparison.Ordinal)
            ? [.. Enumerable.Range(0, 2).Select(e => $"blocks.0.moe.experts.{e}.expand.weight:128x32")]
            : new[] { entry }).ToList();
        var sections = loaded.Sections.ToDictionary();
        sections[TrainingCheckpoint.StateSection] = (record with { ParameterLayout = perExpert }).ToUtf8();
        loaded = loaded with { Sections = sections };
        using var state = TrainingSession.Prepare(spec, CPU);

        var restore = () => TrainingCheckpoint.Restore(state, loaded);

        restore.Should().Throw<CheckpointIncompatibleException>()
            .WithMessage("*the model has blocks.0.moe.expand:2x32x128, the checkpoint blocks.0.moe.experts.0.expand.weight:128x32*");
    }

    private static Outcome Train(ExperimentSpec spec, LoadedCheckpoint? restoreFrom, long? stopAtStep, out CheckpointSnapshot? snapshot)
    {
        using var state = TrainingSession.Prepare(spec, CPU);
        if (restoreFrom is not null) TrainingCheckpoint.Restore(state, restoreFrom);
        var stopper = new StopAndCapture(stopAtStep);
        TrainingSession.Loop(state, new RunOptions(), [stopper], NullLogger.Instance).Run(state);
        snapshot = stopper.Snapshot;
        return new Outcome(MethodTesting.Host(state.Parameters.Master), [.. state.Evaluations.Select(e => (e.Step, e.Loss))], MethodTesting.SectionBytes(state));
    }

    private static LoadedCheckpoint AsLoaded(CheckpointSnapshot snapshot) => new(
        new CheckpointManifest(1, "test", snapshot.ExperimentId, snapshot.Step, snapshot.SpecHash, DateTimeOffset.UtcNow, []),
        snapshot.Sections.ToDictionary(s => s.Name, s => s.Data.ToArray()));

    private sealed record Outcome(float[] Parameters, List<(long Step, double Loss)> Evaluations, List<byte[]> Sections);

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

    public void Dispose() => _testing.Dispose();
}
