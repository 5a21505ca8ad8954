namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>The exit codes every GreenTrain command line returns, so scripts can tell a typo from a failed run.</summary>
public static class ExitCodes
{
    /// <summary>The verb did its work (or printed help or the version).</summary>
    public const int Done = 0;

    /// <summary>The input was valid but the work failed (a crash during training, unreadable data).</summary>
    public const int Failure = 1;

    /// <summary>Usage error: an unknown verb or option, a missing or malformed value, a file that does not exist.</summary>
    public const int Usage = 2;
}
