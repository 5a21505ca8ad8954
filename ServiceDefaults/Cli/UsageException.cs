namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>
/// Bad input found after parsing (a spec with wrong fields, a missing data set, a CUDA device that is not there).
/// A verb throws it; <see cref="CliApp"/> prints every line in the one error style and exits <see cref="ExitCodes.Usage"/>.
/// </summary>
public sealed class UsageException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public UsageException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
