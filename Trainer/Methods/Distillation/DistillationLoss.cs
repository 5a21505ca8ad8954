using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// Hinton et al.'s (2015) distillation loss, computed in fp32 whatever the logits' precision (as autocast scores losses):
/// (1 - alpha) CE(student, labels) + alpha T^2 KL(softmax(teacher / T) || softmax(student / T)).
/// Logits are [B, C] with targets [B], or [B, T, V] with targets [B, T]; every row (an example, or a token of a
/// sequence) counts once, so the KL term is a mean over rows like the cross-entropy term.
/// </summary>
public static class DistillationLoss
{
    public static Tensor Combined(Tensor studentLogits, Tensor teacherLogits, Tensor targets, double alpha, double temperature)
    {
        using var scope = NewDisposeScope();
        var classes = studentLogits.shape[^1];
        var student = studentLogits.reshape(-1, classes).to(ScalarType.Float32);
        var hard = nn.functional.cross_entropy(student, targets.reshape(-1));
        if (alpha == 0) return hard.MoveToOuterDisposeScope();
        var soft = SoftTargetTerm(student, teacherLogits.reshape(-1, classes).to(ScalarType.Float32), temperature);
        return hard.mul(1 - alpha).add_(soft.mul_(alpha * temperature * temperature)).MoveToOuterDisposeScope();
    }

    /// <summary>KL(softmax(teacher / T) || softmax(student / T)), the mean over rows of sum_c p_t (log p_t - log p_s).</summary>
    public static Tensor SoftTargetTerm(Tensor student, Tensor teacher, double temperature)
    {
        using var scope = NewDisposeScope();
        var logStudent = nn.functional.log_softmax(student.div(temperature), 1);
        var logTeacher = nn.functional.log_softmax(teacher.div(temperature), 1);
        var perRow = logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(1);
        return perRow.mean().MoveToOuterDisposeScope();
    }
}
