using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// Teacher and student of each workload. The student has about a quarter of the teacher's parameters; both students
/// (from scratch and distilled) of one seed share the initial weights, steps, schedule and data order, so only the
/// loss differs. By default the students train as many steps as the teacher (Hinton et al.'s protocol): the gap is then
/// the capacity the student lacks, not training it did not get.
/// </summary>
public static class DistillWorkloads
{
    /// <summary>The CNN's default first-stage channels: teacher 32/64 (50 k parameters), student 10/20 (12 k).</summary>
    public const int CnnTeacherWidth = 32, CnnStudentWidth = 10;

    /// <summary>Fashion-MNIST's small CNN, teacher and student of the given first-stage channels (the second stage has twice as many).</summary>
    public static (ExperimentSpec Teacher, ExperimentSpec Student) Cnn(string folder, int teacherSteps, int studentSteps,
        int teacherWidth = CnnTeacherWidth, int studentWidth = CnnStudentWidth)
    {
        var dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist, Path = folder, ValidationFraction = 0.1 };
        ExperimentSpec Spec(string name, int width, int steps) => new()
        {
            Name = name, Dataset = dataset, Model = new ModelSpec { Kind = ModelKind.Cnn, Width = width, Depth = 2 },
            Training = Training(steps, batch: 128, learningRate: 3e-3) with { EvalBatches = 4 },
        };
        return (Spec("distill-cnn-teacher", teacherWidth, teacherSteps), Spec("distill-cnn-student", studentWidth, studentSteps));
    }

    /// <summary>The byte GPT on the fortunes text, context 64: teacher 2 blocks of 128 (0.47 M parameters), student 2 of 56 (0.11 M).</summary>
    public static (ExperimentSpec Teacher, ExperimentSpec Student) Gpt(string textPath, int teacherSteps, int studentSteps)
    {
        var dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = textPath, ValidationFraction = 0.05, TestFraction = 0.05 };
        ExperimentSpec Spec(string name, int width, int steps) => new()
        {
            Name = name, Dataset = dataset, Model = new ModelSpec { Kind = ModelKind.Gpt, Width = width, Depth = 2, Heads = 4, ContextLength = 64 },
            Training = Training(steps, batch: 32, learningRate: 2e-3) with { EvalBatches = 8 },
        };
        return (Spec("distill-gpt-teacher", 128, teacherSteps), Spec("distill-gpt-student", 56, studentSteps));
    }

    /// <summary>The student with another seed: its initial weights and data order change, the data splits do not.</summary>
    public static ExperimentSpec Seeded(ExperimentSpec student, int seed) => student with
    {
        Name = $"{student.Name}-seed{seed}", Training = student.Training with { Seed = seed },
    };

    public static ExperimentSpec Distilled(ExperimentSpec student, string teacherFolder, double alpha, double temperature) => student with
    {
        Name = $"{student.Name}-distilled",
        Training = student.Training with
        {
            Methods = [new DistillationSpec { Teacher = new TeacherSpec { ModelFile = teacherFolder }, Alpha = alpha, Temperature = temperature }],
        },
    };

    private static TrainingSpec Training(int steps, int batch, double learningRate) => new()
    {
        Steps = steps,
        BatchSize = batch,
        Seed = 1337,
        EvalEverySteps = Math.Max(10, steps / 5),
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = 0.01, GradientClip = 1.0 },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, WarmupSteps = Math.Min(50, steps / 10), MinLearningRateFraction = 0.05 },
    };
}
