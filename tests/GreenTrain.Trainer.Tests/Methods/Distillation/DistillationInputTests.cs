using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Distillation;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

/// <summary>Bad teachers and settings are refused with the JSON path of what is wrong: by the spec parser, or when the teacher is loaded.</summary>
public sealed class DistillationInputTests
{
    private static IReadOnlyList<SpecError> Errors(string method) =>
        ExperimentSpecJson.Parse($$"""{ "training": { "methods": [ {{method}} ] } }""").Errors;

    [Theory]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t" }, "alpha": 1.5 }""", "$.training.methods[0].alpha", "between 0 and 1")]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t" }, "alpha": -0.1 }""", "$.training.methods[0].alpha", "between 0 and 1")]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t" }, "temperature": 0 }""", "$.training.methods[0].temperature", "> 0")]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t" }, "temperature": -2 }""", "$.training.methods[0].temperature", "> 0")]
    [InlineData("""{ "kind": "distillation" }""", "$.training.methods[0].teacher", "is required")]
    [InlineData("""{ "kind": "distillation", "teacher": {} }""", "$.training.methods[0].teacher", "exactly one")]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t", "experiment": "e" } }""", "$.training.methods[0].teacher", "exactly one")]
    [InlineData("""{ "kind": "distillation", "teacher": { "experiment": "no spaces" } }""", "$.training.methods[0].teacher.experiment", "experiment id")]
    [InlineData("""{ "kind": "distillation", "teacher": { "modelFile": "t", "epoch": 3 } }""", "$.training.methods[0].teacher.epoch", "")]
    public void A_bad_distillation_entry_is_reported_at_its_json_path(string method, string path, string message)
    {
        Errors(method).Should().Contain(e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void A_good_entry_parses_with_its_defaults()
    {
        var parsed = ExperimentSpecJson.Parse("""{ "training": { "methods": [ { "kind": "distillation", "teacher": { "modelFile": "t" } } ] } }""");

        parsed.IsValid.Should().BeTrue(string.Join("; ", parsed.Errors));
        var spec = (ServiceDefaults.Contracts.Methods.DistillationSpec)parsed.Spec!.Training.Methods![0];
        (spec.Alpha, spec.Temperature, spec.Teacher!.ModelFile).Should().Be((0.5, 2.0, "t"));
    }

    [Fact]
    public void A_missing_teacher_folder_is_refused_at_teacher_model_file()
    {
        var spec = DistillationTesting.DigitsStudent(10, methods: DistillationTesting.From("/nonexistent/teacher"));

        var refuse = () => TrainingSession.Prepare(spec, CPU);

        refuse.Should().Throw<TeacherUnavailableException>().Which.Message.Should()
            .StartWith("$.training.methods[0].teacher.modelFile: there is no file or folder '/nonexistent/teacher'");
    }

    [Fact]
    public void A_folder_without_model_json_or_without_weights_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("distill-bad-").FullName;
        var spec = DistillationTesting.DigitsStudent(10, methods: DistillationTesting.From(folder));
        FluentActions.Invoking(() => TrainingSession.Prepare(spec, CPU)).Should().Throw<TeacherUnavailableException>().WithMessage("*model.json' is missing*");

        File.Copy(Path.Combine(DistillationTesting.DigitsTeacher, "model.json"), Path.Combine(folder, "model.json"));
        FluentActions.Invoking(() => TrainingSession.Prepare(spec, CPU)).Should().Throw<TeacherUnavailableException>().WithMessage("*model.safetensors' is missing*");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_teacher_with_another_vocabulary_than_the_students_classes_is_refused_at_teacher()
    {
        // A byte GPT (256 tokens) cannot teach a digits classifier (10 classes).
        var spec = DistillationTesting.DigitsStudent(10, methods: DistillationTesting.From(Path.Combine(DistillationTesting.GptTeacher, "model.safetensors")));

        var refuse = () => TrainingSession.Prepare(spec, CPU);

        refuse.Should().Throw<TeacherUnavailableException>().Which.Message.Should().Be(
            "$.training.methods[0].teacher: the teacher's classes is 256, the student's data set (digits) has 10");
    }

    [Fact]
    public void A_teacher_from_the_store_needs_a_worker_and_the_cli_says_so()
    {
        var spec = DistillationTesting.DigitsStudent(10) with
        {
            Training = DistillationTesting.DigitsStudent(10).Training with
            {
                Methods = [new ServiceDefaults.Contracts.Methods.DistillationSpec { Teacher = new() { Experiment = "teacher-1" } }],
            },
        };

        FluentActions.Invoking(() => TrainingSession.Prepare(spec, CPU)).Should().Throw<TeacherUnavailableException>()
            .WithMessage("$.training.methods[0].teacher.experiment: *worker*");
    }

    [Fact]
    public void The_train_command_exits_2_for_a_missing_teacher_naming_the_json_path()
    {
        var folder = Directory.CreateTempSubdirectory("distill-cli-").FullName;
        var config = Path.Combine(folder, "spec.json");
        File.WriteAllText(config, """{ "training": { "steps": 5, "methods": [ { "kind": "distillation", "teacher": { "modelFile": "/nonexistent/t" } } ] } }""");
        var error = new StringWriter();

        var exit = CliApp.Run(TrainerCommandLine.Create(_ => throw new InvalidOperationException()),
            ["train", "--config", config, "--out", Path.Combine(folder, "out"), "--device", "cpu"], new StringWriter(), error);

        exit.Should().Be(ExitCodes.Usage);
        error.ToString().Should().Contain("$.training.methods[0].teacher.modelFile: there is no file or folder");
        Directory.Delete(folder, recursive: true);
    }
}
