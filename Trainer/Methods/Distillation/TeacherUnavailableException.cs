namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>
/// The spec's teacher cannot be used: no such file or experiment, unreadable files, or a model that does not fit the
/// student's data (classes, vocabulary, input shape). Bad input, not a failure of training: the CLI exits 2 and a
/// worker fails the experiment without retrying. The message starts with the spec's JSON path.
/// </summary>
public sealed class TeacherUnavailableException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;
}
