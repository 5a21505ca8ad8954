using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// Knowledge distillation from a trained teacher (DistillationLoss has the maths).
/// <code>
/// Init         load the teacher (model files, or a stored experiment through the run's ITeacherSource); check it
///              answers the student's data: same classes or vocabulary, same input shape (a GPT teacher's context may be longer)
/// FitStart     the teacher goes to the run's device in the student's compute precision, in eval mode
/// BeforeLoss   the teacher's forward pass on the batch, without gradients; the criterion becomes the distillation loss
/// AfterLoss    the criterion the batch found is put back
/// </code>
/// The teacher's forward passes run in the student's process and loop, so the run's energy meter counts them; the
/// report says how many there were and what share of the run's FLOPs they are. The checkpoint section names the
/// teacher and its weights' SHA-256: a resume with other weights under the same name is refused.
/// </summary>
public sealed class DistillationMethod(DistillationSpec spec, string path, ITeacherSource? teachers) : IStatefulMethod, IReportingMethod, IDisposable
{
    private Teacher? _teacher;
    private Tensor? _teacherLogits;
    private Func<Tensor, Batch, Tensor>? _previousCriterion;
    private long _teacherPasses;
    private long _teacherExamples;

    public string Name => "distillation";

    /// <summary>The loaded teacher (after Init), for checks that it stays in eval mode and off autograd.</summary>
    public Teacher? LoadedTeacher => _teacher;

    private Teacher Loaded => _teacher ?? throw new InvalidOperationException("the teacher is loaded at Init");

    public bool Match(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.Init or TrainingEvent.FitStart or TrainingEvent.BeforeLoss or TrainingEvent.AfterLoss;

    public void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger)
    {
        switch (trainingEvent)
        {
            case TrainingEvent.Init:
                _teacher = Resolve(state.Data);
                CheckFits(_teacher, state.Data);
                break;
            case TrainingEvent.FitStart:
                Loaded.MoveTo(state.Device, state.Parameters.ComputeType);
                break;
            case TrainingEvent.BeforeLoss:
                var batch = state.Batch!;
                _teacherLogits = Loaded.Answer(batch.Input);
                _teacherPasses++;
                _teacherExamples += batch.Examples;
                _previousCriterion = state.Criterion;
                state.Criterion = (outputs, b) => DistillationLoss.Combined(outputs, _teacherLogits!, b.Target, spec.Alpha, spec.Temperature);
                break;
            case TrainingEvent.AfterLoss:
                state.Criterion = _previousCriterion ?? state.Criterion;
                _previousCriterion = null;
                _teacherLogits = null; // owned by the step's dispose scope
                break;
        }
    }

    public MethodSection Save(TrainingState state) => MethodSection.Of(new Saved(Loaded.Source, Loaded.Digest, _teacherPasses, _teacherExamples));

    public void Load(MethodSection section, TrainingState state)
    {
        var saved = section.Values<Saved>();
        if (saved.TeacherDigest != Loaded.Digest)
        {
            throw new CheckpointIncompatibleException(
                $"the checkpoint was trained against teacher {saved.TeacherSource} with weights {saved.TeacherDigest[..12]}, {Loaded.Source} now has {Loaded.Digest[..12]}");
        }
        _teacherPasses = saved.TeacherForwardPasses;
        _teacherExamples = saved.TeacherExamples;
    }

    public JsonNode Report(TrainingState state)
    {
        var teacherFlops = Loaded.Network.ForwardFlopsPerExample * _teacherExamples;
        // Training the student costs about three forward passes per example (forward, and backward's two products).
        var studentFlops = 3 * state.Network.ForwardFlopsPerExample * state.ExamplesSeen;
        return new JsonObject
        {
            ["teacher"] = Loaded.Source,
            ["teacherDigest"] = Loaded.Digest,
            ["teacherParameters"] = Loaded.ParameterCount,
            ["studentParameters"] = state.Parameters.Count,
            ["teacherPrecision"] = Loaded.Network.Module.parameters().First().dtype.ToString(),
            ["alpha"] = spec.Alpha,
            ["temperature"] = spec.Temperature,
            ["teacherForwardPasses"] = _teacherPasses,
            ["teacherExamples"] = _teacherExamples,
            ["teacherForwardFlops"] = teacherFlops,
            ["teacherShareOfTrainingFlops"] = teacherFlops + studentFlops > 0 ? teacherFlops / (teacherFlops + studentFlops) : 0,
        };
    }

    public void Dispose() => _teacher?.Dispose();

    private Teacher Resolve(ITrainingData data)
    {
        var teacher = spec.Teacher!;
        if (teacher.ModelFile is { } file) return TeacherFiles.Load(file, $"{path}.teacher.modelFile");
        var at = $"{path}.teacher.experiment";
        if (teachers is null)
        {
            throw new TeacherUnavailableException(at, "a teacher from the store is loaded by a worker; `train` on the command line takes teacher.modelFile (a run's exported model folder)");
        }
        return teachers.Load(teacher.Experiment!, at, data);
    }

    private void CheckFits(Teacher teacher, ITrainingData data)
    {
        var what = data.Task == DataTask.LanguageModel ? "vocabulary" : "classes";
        if (teacher.Classes != data.Classes)
        {
            throw new TeacherUnavailableException($"{path}.teacher", $"the teacher's {what} is {teacher.Classes}, the student's data set ({data.Name}) has {data.Classes}");
        }
        var fits = data.Task == DataTask.LanguageModel
            ? teacher.InputShape.Length == 1 && teacher.InputShape[0] >= data.ExampleShape[0]
            : teacher.InputShape.SequenceEqual(data.ExampleShape);
        if (!fits)
        {
            throw new TeacherUnavailableException($"{path}.teacher",
                $"the teacher takes inputs of shape [{string.Join(", ", teacher.InputShape)}], the student's data set has [{string.Join(", ", data.ExampleShape)}]");
        }
    }

    private sealed record Saved(string TeacherSource, string TeacherDigest, long TeacherForwardPasses, long TeacherExamples);
}
