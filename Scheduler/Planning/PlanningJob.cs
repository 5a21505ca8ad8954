namespace GreenTrain.Scheduler.Planning;

/// <summary>Where a job stands when it is planned: not started, running in a region, or paused with its checkpoint in a region.</summary>
public enum JobPhase
{
    Waiting,
    Running,
    Paused,
}

/// <summary>
/// The energy a pause or a move costs, in kWh. A pause writes a checkpoint and later restores it; a move
/// between regions also transfers it. Their time is taken to fit inside one planning step (seconds to
/// minutes against 15 or 30 minutes), so only their energy is planned for.
/// </summary>
public sealed record JobCosts(double CheckpointKWh = 0, double ResumeKWh = 0, double MigrationKWh = 0)
{
    public static JobCosts None { get; } = new();

    public double PauseKWh => CheckpointKWh + ResumeKWh;

    public double MoveKWh => CheckpointKWh + ResumeKWh + MigrationKWh;
}

/// <summary>
/// What the planner needs to know about one job. Remaining energy and duration shrink as the job
/// progresses; the planner spreads the energy evenly over the run time. TotalDuration, the whole job's work when known,
/// tells rules that count a job's cells from its start (<see cref="OnlineThreshold"/>) how many are done.
/// </summary>
public sealed record PlanningJob(
    string Id,
    double RemainingEnergyKWh,
    TimeSpan RemainingDuration,
    DateTimeOffset Deadline,
    bool Pausable,
    IReadOnlyList<string> AllowedRegions,
    JobCosts Costs,
    JobPhase Phase = JobPhase.Waiting,
    string? CurrentRegion = null,
    DateTimeOffset? NotBefore = null,
    bool HasDeadline = true,
    TimeSpan? TotalDuration = null);
