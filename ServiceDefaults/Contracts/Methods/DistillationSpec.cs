using System.Text.RegularExpressions;

namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// Knowledge distillation (Hinton, Vinyals and Dean, 2015, "Distilling the Knowledge in a Neural Network"): the
/// student learns from the labels and from a trained teacher's softened outputs,
/// loss = (1 - alpha) CE(student, labels) + alpha T^2 KL(softmax(teacher / T) || softmax(student / T)).
/// The teacher runs in inference mode inside the student's run, so its forward passes are in the run's energy.
/// </summary>
public sealed partial record DistillationSpec : MethodSpec
{
    /// <summary>Where the trained teacher comes from: a finished experiment in the store, or exported model files.</summary>
    public TeacherSpec? Teacher { get; init; }

    /// <summary>Weight of the teacher's term (0 = labels only, 1 = teacher only).</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Softmax temperature for both models in the teacher's term; the T^2 factor keeps its gradients on the scale of CE's.</summary>
    public double Temperature { get; init; } = 2.0;

    public override IEnumerable<(string Field, string Message)> Validate()
    {
        if (Teacher is null) yield return ("teacher", "is required: { \"experiment\": \"ID\" } or { \"modelFile\": \"DIR or DIR/model.safetensors\" }");
        else
        {
            var given = (Teacher.Experiment is not null ? 1 : 0) + (Teacher.ModelFile is not null ? 1 : 0);
            if (given != 1) yield return ("teacher", "must name exactly one of experiment and modelFile");
            if (Teacher.Experiment is { } id && !ExperimentId().IsMatch(id))
                yield return ("teacher.experiment", "must be an experiment id: 1-128 letters, digits, '-', '_' or '.'");
            if (Teacher.ModelFile is { } file && string.IsNullOrWhiteSpace(file)) yield return ("teacher.modelFile", "must be a path");
        }
        if (!IsFraction(Alpha, 0, 1)) yield return ("alpha", "must be between 0 and 1");
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) yield return ("temperature", "must be a number > 0");
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex ExperimentId();
}

/// <summary>The teacher of a distillation: exactly one of the two.</summary>
public sealed record TeacherSpec
{
    /// <summary>A finished experiment's id: its newest checkpoint in the store (the worker loads it).</summary>
    public string? Experiment { get; init; }

    /// <summary>Exported model files (model.json beside model.safetensors): the folder, or either file's path.</summary>
    public string? ModelFile { get; init; }
}
