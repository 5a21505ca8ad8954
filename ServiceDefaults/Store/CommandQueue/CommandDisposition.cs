namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>Whether a taken command should be applied.</summary>
public enum CommandDisposition
{
    /// <summary>Not applied before, and nothing newer applied to its experiment: apply it.</summary>
    New,

    /// <summary>This very command (same id) was applied already: a copy seen twice, skip it.</summary>
    Duplicate,

    /// <summary>A command issued later for the same experiment was applied already: this one is stale, skip it.</summary>
    Superseded,
}
