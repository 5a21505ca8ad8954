namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>What the Scheduler asks a Trainer worker to do with one experiment.</summary>
public enum TrainerCommandKind
{
    Start,
    Pause,
    Resume,
    Cancel,
}

/// <summary>
/// One command on a region's queue. <paramref name="CommandId"/> is unique per command (not per experiment):
/// a command delivered twice, after a lease expired, carries the same id, which is how it is recognised.
/// <paramref name="IssuedAt"/> orders the commands of one experiment: a command issued before one already
/// applied for the same experiment is stale.
/// </summary>
public sealed record TrainerCommand(string CommandId, string ExperimentId, TrainerCommandKind Kind, DateTimeOffset IssuedAt);
