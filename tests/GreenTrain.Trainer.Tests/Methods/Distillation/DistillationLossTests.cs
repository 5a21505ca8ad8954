using GreenTrain.Trainer.Methods.Distillation;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

public sealed class DistillationLossTests
{
    // Two examples, three classes. By hand (log-softmax of each row, then the two terms averaged over the rows):
    // CE = (0.40761 + 0.09567) / 2 = 0.251640; at T = 2 the KL of softmax(teacher/2) from softmax(student/2) is
    // (0.18465 + 0.90662) / 2 = 0.545632; with alpha = 0.3: 0.7 * 0.251640 + 0.3 * 4 * 0.545632 = 0.830906.
    private static readonly float[] Student = [1, 2, 0, -1, 0.5f, 3];
    private static readonly float[] Teacher = [0.5f, 0, 1, 2, 1, -1];
    private static readonly long[] Labels = [1, 2];

    [Fact]
    public void The_loss_is_hintons_mix_of_label_cross_entropy_and_temperature_scaled_kl()
    {
        using var loss = DistillationLoss.Combined(tensor(Student).reshape(2, 3), tensor(Teacher).reshape(2, 3), tensor(Labels), alpha: 0.3, temperature: 2);

        loss.item<float>().Should().BeApproximately(0.830906f, 1e-5f);
    }

    [Fact]
    public void Per_token_logits_of_a_language_model_count_every_token_once()
    {
        // The same six numbers as one sequence of two tokens: [B = 1, T = 2, V = 3] with targets [1, 2].
        using var loss = DistillationLoss.Combined(tensor(Student).reshape(1, 2, 3), tensor(Teacher).reshape(1, 2, 3), tensor(Labels).reshape(1, 2), 0.3, 2);

        loss.item<float>().Should().BeApproximately(0.830906f, 1e-5f);
    }

    [Fact]
    public void Alpha_0_is_plain_cross_entropy_and_alpha_1_is_the_teachers_term_alone()
    {
        using var labelsOnly = DistillationLoss.Combined(tensor(Student).reshape(2, 3), tensor(Teacher).reshape(2, 3), tensor(Labels), 0, 2);
        using var teacherOnly = DistillationLoss.Combined(tensor(Student).reshape(2, 3), tensor(Teacher).reshape(2, 3), tensor(Labels), 1, 2);

        labelsOnly.item<float>().Should().BeApproximately(0.251640f, 1e-5f);
        teacherOnly.item<float>().Should().BeApproximately(4 * 0.545632f, 1e-5f);
    }

    [Fact]
    public void A_student_that_matches_its_teacher_has_no_teacher_term_and_bf16_logits_are_scored_in_fp32()
    {
        var logits = tensor(Student).reshape(2, 3).to(ScalarType.BFloat16);
        using var loss = DistillationLoss.Combined(logits, logits, tensor(Labels), 1, 3);

        loss.dtype.Should().Be(ScalarType.Float32);
        loss.item<float>().Should().BeApproximately(0, 1e-6f);
    }

    [Fact]
    public void The_gradient_flows_to_the_student_only()
    {
        var student = tensor(Student).reshape(2, 3).requires_grad_();
        var teacher = tensor(Teacher).reshape(2, 3);
        using var loss = DistillationLoss.Combined(student, teacher, tensor(Labels), 0.5, 2);

        loss.backward();

        student.grad.Should().NotBeNull();
        student.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
        teacher.grad.Should().BeNull();
    }
}
