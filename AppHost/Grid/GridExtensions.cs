using GreenTrain.AppHost.Deployment;
using GreenTrain.AppHost.Local;

namespace GreenTrain.AppHost.Grid;

public static class GridExtensions
{
    /// <summary>The local replay loop in run mode only; anything else (publish) gets the live grid, so no local setting leaks into a manifest.</summary>
    public static IGridComposition GetGrid(this IDistributedApplicationBuilder builder) => builder.ExecutionContext.IsRunMode
        ? new LocalLoopComposition(LocalLoopSettings.From(builder.Configuration))
        : LiveGridComposition.From(builder);

    public static IResourceBuilder<ProjectResource> WithGrid(this IResourceBuilder<ProjectResource> scheduler, IGridComposition grid)
    {
        grid.ConfigureScheduler(scheduler);
        return scheduler;
    }

    /// <summary>One trainer per region, named trainer-{region}, serving that region's command queue.</summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddRegionalTrainers<TProject>(
        this IDistributedApplicationBuilder builder, IGridComposition grid, Action<IResourceBuilder<ProjectResource>, string> configure)
        where TProject : IProjectMetadata, new()
    {
        var trainers = new List<IResourceBuilder<ProjectResource>>();
        foreach (var region in grid.Regions)
        {
            var trainer = builder.AddProject<TProject>($"trainer-{region.ToLowerInvariant()}")
                .WithEnvironment("Worker__Region", region);
            grid.ConfigureTrainer(trainer);
            configure(trainer, region);
            trainers.Add(trainer);
        }
        return trainers;
    }
}
