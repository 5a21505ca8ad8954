using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

public sealed class DistillationRunTests
{
    [Fact]
    public void A_student_learns_from_an_exported_teacher_and_the_report_counts_every_teacher_forward_pass()
    {
        var spec = DistillationTesting.DigitsStudent(steps: 60, accumulation: 2, methods: DistillationTesting.From(DistillationTesting.DigitsTeacher));

        var result = TrainingSession.Run(spec, new RunOptions { CpuThreads = 1 }, [], NullLogger.Instance);

        var report = result.Methods["distillation"];
        report["teacherForwardPasses"]!.GetValue<long>().Should().Be(60 * 2, "one teacher pass per micro-batch");
        report["teacherExamples"]!.GetValue<long>().Should().Be(60 * 2 * 64);
        report["teacherParameters"]!.GetValue<long>().Should().BeGreaterThan(4 * report["studentParameters"]!.GetValue<long>());
        report["teacherShareOfTrainingFlops"]!.GetValue<double>().Should().BeInRange(0.5, 1, "a teacher 40 times the student's size costs most of the run's FLOPs");
        report["teacher"]!.GetValue<string>().Should().StartWith("modelFile:");
        result.Test.Accuracy.Should().BeGreaterThan(0.5, "the student learns the digits (chance is 10 %)");
    }

    [Fact]
    public void The_teacher_loaded_from_its_files_scores_the_test_split_as_the_run_that_trained_it()
    {
        // A teacher that lost a weight or a buffer on the way through model.safetensors would still answer, only worse,
        // and every distilled student would quietly learn from a weaker teacher than the benchmark's teacher row says.
        using var teacher = Trainer.Methods.Distillation.TeacherFiles.Load(DistillationTesting.DigitsTeacher, "teacher.modelFile");
        using var data = Trainer.Data.DataSetFactory.Open(DistillationTesting.DigitsTeacherSpec, CPU);

        var (loss, accuracy) = Evaluator.Evaluate(teacher.Network, data.Test, new RunOptions().EvaluationBatchSize, null, ScalarType.Float32);

        var trained = DistillationTesting.DigitsTeacherResult.Test;
        loss.Should().BeApproximately(trained.Loss, 1e-6);
        accuracy.Should().Be(trained.Accuracy);
    }

    [Fact]
    public void With_alpha_0_the_run_is_bit_identical_to_training_without_a_teacher()
    {
        // The teacher's answers are weighted out: nothing else (its loading, its forward passes, the random generator) may change the student.
        var scratch = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 30));
        var distilled = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 30, methods: DistillationTesting.From(DistillationTesting.DigitsTeacher, alpha: 0)));

        MethodTesting.Host(distilled.Parameters.Master).Should().Equal(MethodTesting.Host(scratch.Parameters.Master));
        scratch.Dispose();
        distilled.Dispose();
    }

    [Fact]
    public void With_alpha_above_0_the_teacher_changes_what_the_student_learns_and_the_logged_loss_is_the_distillation_loss()
    {
        using var scratch = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 30));
        using var distilled = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 30, methods: DistillationTesting.From(DistillationTesting.DigitsTeacher, alpha: 0.9, temperature: 4)));

        MethodTesting.Host(distilled.Parameters.Master).Should().NotEqual(MethodTesting.Host(scratch.Parameters.Master));
        // T^2 = 16 times the KL term: the optimised loss is on another scale than the validation cross-entropy.
        distilled.TrainLoss.Should().NotBe(scratch.TrainLoss);
    }

    [Fact]
    public void The_teacher_stays_in_eval_mode_and_off_autograd_through_the_students_evaluations()
    {
        // 30 steps with an evaluation every 20: Evaluator puts the student back in train mode afterwards; the teacher
        // must not follow (dropout or batch statistics would change its answers), nor train.
        using var state = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 30, methods: DistillationTesting.From(DistillationTesting.DigitsTeacher)));

        var teacher = state.Method<Trainer.Methods.Distillation.DistillationMethod>()!.LoadedTeacher!.Network.Module;
        state.Evaluations.Count.Should().BeGreaterThan(1);
        state.Network.Module.training.Should().BeTrue("the student trains between evaluations");
        teacher.modules().Append(teacher).Should().OnlyContain(m => !m.training);
        teacher.parameters().Should().OnlyContain(p => !p.requires_grad);
    }

    [Theory]
    [InlineData(PrecisionKind.Bf16)]
    [InlineData(PrecisionKind.Fp16)]
    public void The_teacher_answers_in_the_students_compute_precision(PrecisionKind precision)
    {
        using var state = MethodTesting.Train(DistillationTesting.DigitsStudent(steps: 20, precision, methods: DistillationTesting.From(DistillationTesting.DigitsTeacher)));

        var teacher = state.Method<Trainer.Methods.Distillation.DistillationMethod>()!;
        var report = teacher.Report(state);
        report["teacherForwardPasses"]!.GetValue<long>().Should().Be(20);
        var expected = precision == PrecisionKind.Bf16 ? ScalarType.BFloat16 : ScalarType.Float16;
        state.Parameters.ComputeType.Should().Be(expected);
        report["teacherPrecision"]!.GetValue<string>().Should().Be(expected.ToString());
        state.Evaluations.Last().Accuracy.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void A_small_gpt_distils_from_a_wider_deeper_gpt_token_by_token()
    {
        var spec = DistillationTesting.Gpt(width: 16, depth: 1, steps: 30, DistillationTesting.From(DistillationTesting.GptTeacher));

        var result = TrainingSession.Run(spec, new RunOptions { CpuThreads = 1 }, [], NullLogger.Instance);

        result.Methods["distillation"]["teacherExamples"]!.GetValue<long>().Should().Be(30 * 8);
        result.Final!.Loss.Should().BeLessThan(Math.Log(256), "better than a uniform guess over bytes");
    }
}
