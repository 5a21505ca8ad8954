namespace GreenTrain.Telemetry.Cli;

/// <summary>
/// Resolves relative paths against the caller's shell folder. `dotnet run --project Telemetry` starts a Web SDK
/// project in its own folder, so the process's current directory is not where the user typed the command;
/// the shell's PWD, which the child inherits, still is.
/// </summary>
public static class CallerPath
{
    public static string Resolve(string path) =>
        Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } pwd && Directory.Exists(pwd)
            ? pwd
            : Environment.CurrentDirectory);
}
