using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Export;
using GreenTrain.Trainer.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

/// <summary>Teachers trained once per test process and exported as real model files, and students that learn from them.</summary>
internal static class DistillationTesting
{
    /// <summary>The digits teacher's spec: an MLP of 256 x 2 trained 150 steps.</summary>
    public static readonly ExperimentSpec DigitsTeacherSpec =
        SpecFactory.Digits(steps: 150) with { Name = "digits-teacher", Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 256, Depth = 2 } };

    private static readonly Lazy<(string Folder, TrainingResult Result)> DigitsTeacherRun = new(() => TrainAndExport(DigitsTeacherSpec));

    private static readonly Lazy<(string Folder, TrainingResult Result)> GptTeacherRun = new(() => TrainAndExport(Gpt(width: 32, depth: 2, steps: 40)));

    /// <summary>An MLP of 256 x 2 trained 150 steps on the digits, exported (model.json + model.safetensors).</summary>
    public static string DigitsTeacher => DigitsTeacherRun.Value.Folder;

    public static TrainingResult DigitsTeacherResult => DigitsTeacherRun.Value.Result;

    /// <summary>A byte GPT of width 32, two blocks, on a small corpus, exported.</summary>
    public static string GptTeacher => GptTeacherRun.Value.Folder;

    public static DistillationSpec From(string teacherFolder, double alpha = 0.5, double temperature = 2) =>
        new() { Teacher = new TeacherSpec { ModelFile = teacherFolder }, Alpha = alpha, Temperature = temperature };

    /// <summary>A student a tenth of the teacher's width on the digits.</summary>
    public static ExperimentSpec DigitsStudent(int steps, PrecisionKind precision = PrecisionKind.Fp32, int accumulation = 1, params MethodSpec[] methods)
    {
        var spec = MethodTesting.Digits(precision, steps, accumulation, methods);
        return spec with { Name = "digits-student", Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 24, Depth = 1, Dropout = 0.1 } };
    }

    public static ExperimentSpec Gpt(int width, int depth, int steps, params MethodSpec[] methods) => new()
    {
        Name = $"gpt-{width}x{depth}",
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = Corpus.Value },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = width, Depth = depth, Heads = 4, ContextLength = 16 },
        Training = new TrainingSpec
        {
            Steps = steps, BatchSize = 8, EvalEverySteps = 20, EvalBatches = 2, Methods = methods,
            Optimizer = new OptimizerSpec { LearningRate = 3e-3 }, Schedule = new ScheduleSpec { WarmupSteps = 5 },
        },
    };

    private static readonly Lazy<string> Corpus = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("distill-corpus-").FullName, "corpus.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("a teacher knows what a student guesses. ", 100)));
        return path;
    });

    private static (string, TrainingResult) TrainAndExport(ExperimentSpec spec)
    {
        var folder = Directory.CreateTempSubdirectory("distill-teacher-").FullName;
        var result = TrainingSession.Run(spec, new RunOptions { CpuThreads = 1 }, [new ModelFilesObserver(folder)], NullLogger.Instance);
        return (folder, result);
    }
}
