using System.CommandLine;

namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>
/// Runs a System.CommandLine root with GreenTrain's conventions: parse errors and <see cref="UsageException"/>s are
/// printed as `error: ...` lines on stderr followed by where to find help, and exit 2; `--help` and `--version`
/// exit 0; an exception from a verb propagates, so a crash keeps its stack trace.
/// </summary>
public static class CliApp
{
    public static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parsed = root.Parse(args);
        var problems = parsed.Errors.Select(e => e.Message).ToList();
        // A service root passes unknown tokens to its host, and System.CommandLine then lets every verb under it pass
        // them too; a verb that has not asked for that (worker has) must still refuse an unknown option.
        if (parsed.CommandResult.Command is var verb && verb != root && verb.TreatUnmatchedTokensAsErrors)
        {
            problems.AddRange(parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."));
        }
        if (problems.Count > 0)
        {
            return UsageError(error, problems.Distinct(), HelpHint(parsed));
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            return UsageError(error, ex.Problems, HelpHint(parsed));
        }
    }

    /// <summary>The one error style: each problem on its own `error:` line, then how to see the usage.</summary>
    public static int UsageError(TextWriter error, IEnumerable<string> problems, string hint)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"error: {problem}");
        }
        error.WriteLine(hint);
        return ExitCodes.Usage;
    }

    private static string HelpHint(ParseResult parsed)
    {
        var names = new List<string>();
        for (var command = parsed.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, command.Command.Name);
        }
        return $"Run '{string.Join(' ', names)} --help' for usage.";
    }
}
