namespace GreenTrain.AppHost.Grid;

/// <summary>
/// Where the grid signal comes from and how the services are sized for it: the local loop (run mode, AppHost/Local)
/// replays recorded traces fast on CPU; a deployment (publish mode, AppHost/Deployment) asks live providers at the
/// clock's pace and trains on GPUs. Program.cs composes the same services either way.
/// </summary>
public interface IGridComposition
{
    /// <summary>The regions planned for; each gets one trainer, trainer-{region}.</summary>
    IReadOnlyList<string> Regions { get; }

    /// <summary>The Scheduler's provider, regions, cadence and pause costs.</summary>
    void ConfigureScheduler(IResourceBuilder<ProjectResource> scheduler);

    /// <summary>Settings of one region's trainer beyond its region.</summary>
    void ConfigureTrainer(IResourceBuilder<ProjectResource> trainer);
}
