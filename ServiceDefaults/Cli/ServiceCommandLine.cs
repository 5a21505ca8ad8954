using System.CommandLine;

namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>
/// The command line of a service binary: its offline verbs, or, with no verb, the web service itself. `--help` and
/// `--version` at the root print and exit without starting a host; configuration arguments such as
/// `--urls http://+:5000` or `--Worker:Enabled=false` pass through to the host unchanged; a first word that is no
/// verb is a usage error rather than a silently ignored host argument.
/// </summary>
public static class ServiceCommandLine
{
    /// <param name="description">What the service does, for `--help`.</param>
    /// <param name="verbs">The offline verbs; each runs without the store or the web host.</param>
    /// <param name="runService">Starts the service with the original arguments and returns its exit code.</param>
    public static RootCommand Create(string description, IEnumerable<Command> verbs, Func<string[], int> runService)
    {
        var root = new RootCommand($"{description}\nWith no verb it starts the web service; arguments such as --urls or --Section:Key=value configure it.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }
        root.SetAction(parsed =>
        {
            var passed = parsed.UnmatchedTokens.ToArray();
            if (passed.Length > 0 && !passed[0].StartsWith('-'))
            {
                var known = string.Join(", ", root.Subcommands.Select(c => c.Name));
                throw new UsageException($"'{passed[0]}' is not a verb; the verbs are {known} (or none, to start the service).");
            }
            return runService(passed);
        });
        return root;
    }
}
