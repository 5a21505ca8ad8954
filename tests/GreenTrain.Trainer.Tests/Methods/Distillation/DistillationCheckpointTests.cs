using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Export;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

/// <summary>The teacher reference in the checkpoint (bit-identical resume itself is in MethodResumeTests).</summary>
public sealed class DistillationCheckpointTests
{
    [Fact]
    public void The_checkpoint_names_the_teacher_and_a_resume_against_other_weights_in_its_place_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("distill-swap-").FullName;
        foreach (var file in new[] { ModelFiles.Architecture, ModelFiles.Safetensors })
        {
            File.Copy(Path.Combine(DistillationTesting.DigitsTeacher, file), Path.Combine(folder, file));
        }
        var spec = DistillationTesting.DigitsStudent(10, methods: DistillationTesting.From(folder));
        CheckpointSnapshot snapshot;
        using (var state = TrainingSession.Prepare(spec, CPU))
        {
            TrainingSession.Loop(state, new RunOptions(), [], NullLogger.Instance).Run(state);
            snapshot = TrainingCheckpoint.Capture(state, "student", runId: null);
        }
        var section = MethodSectionCodec.Decode("distillation", snapshot.Sections.Single(s => s.Name == "method.distillation").Data.ToArray());
        section.ValuesJson.Should().Contain("modelFile:").And.Contain("\"teacherForwardPasses\":10");

        // Another teacher's weights under the same name: a run resumed against it would not be the run it continues.
        using (var other = TrainingSession.Prepare(DistillationTesting.DigitsStudent(3) with { Model = DistillationTesting.DigitsTeacherResult.Spec.Model }, CPU))
        {
            ModelFiles.Write(folder, other);
        }
        using var resumed = TrainingSession.Prepare(spec, CPU);
        var loaded = new LoadedCheckpoint(new CheckpointManifest(1, "c", "student", snapshot.Step, snapshot.SpecHash, DateTimeOffset.UtcNow, []),
            snapshot.Sections.ToDictionary(s => s.Name, s => s.Data.ToArray()));

        FluentActions.Invoking(() => TrainingCheckpoint.Restore(resumed, loaded)).Should().Throw<CheckpointIncompatibleException>()
            .WithMessage("*trained against teacher modelFile:*");
        Directory.Delete(folder, recursive: true);
    }
}
