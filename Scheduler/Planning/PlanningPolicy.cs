namespace GreenTrain.Scheduler.Planning;

/// <summary>How much freedom the planner takes; a job that cannot pause always gets one contiguous window.</summary>
public enum PlanningPolicy
{
    /// <summary>One uninterrupted window in one region, as the Carbon Aware SDK's best-window search does.</summary>
    Contiguous,

    /// <summary>Runs split by pauses in one region, each pause paying its checkpoint and resume energy.</summary>
    Interruptible,

    /// <summary>Runs split by pauses and moved between regions, each move paying its migration energy.</summary>
    RegionShifting,
}
