using System.Globalization;
using GreenTrain.AppHost.Grid;

namespace GreenTrain.AppHost.Local;

/// <summary>
/// The settings that make the three services one loop on one machine: the Scheduler replays one recorded trace
/// per region, one trainer serves each region's queue, and Telemetry prices energy from the Scheduler's
/// forecast cache, so both see the same replayed intensity at the same moment. Run mode only.
/// </summary>
public sealed class LocalLoopComposition(LocalLoopSettings loop) : IGridComposition
{
    public IReadOnlyList<string> Regions => loop.Regions;

    /// <summary>Replays the regions' traces at the loop's speed and plans across them; submits the demo when on.</summary>
    public void ConfigureScheduler(IResourceBuilder<ProjectResource> scheduler)
    {
        scheduler.WithEnvironment("Carbon__Provider", "trace")
            .WithEnvironment("Carbon__Replay__SpeedUp", loop.SpeedUp.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Carbon__Replay__TraceStart", loop.TraceStart)
            // Replay is a perfect forecast: refreshing only rolls the horizon, so refresh rarely (the horizon, 72 trace
            // hours, lasts that long). Each refresh keeps the ended hours Telemetry prices finished windows from.
            .WithEnvironment("Carbon__RefreshSeconds", ((int)Math.Max(60, 72 * 3600 / loop.SpeedUp / 2)).ToString(CultureInfo.InvariantCulture))
            // Dispatch at least every few planning cells even if a boundary trigger is missed.
            .WithEnvironment("Scheduler__DispatchSeconds", "5")
            .WithEnvironment("Scheduler__ReplanSeconds", "60")
            .WithEnvironment("Demo__Enabled", loop.DemoEnabled ? "true" : "false");
        for (var i = 0; i < loop.Regions.Count; i++)
        {
            scheduler.WithEnvironment($"Carbon__Regions__{i}", loop.Regions[i]);
        }
        foreach (var (region, file) in loop.TraceFiles)
        {
            scheduler.WithEnvironment($"Carbon__Replay__Files__{region}", file);
        }
        foreach (var (key, value) in loop.SchedulerSettings)
        {
            scheduler.WithEnvironment($"Scheduler__{key}", value);
        }
    }

    public void ConfigureTrainer(IResourceBuilder<ProjectResource> trainer) => trainer
        .WithEnvironment("Worker__EnergyWindowSeconds", "5")
        // Two trainers share the machine; one thread each keeps the idle one from slowing the busy one.
        .WithEnvironment("Worker__CpuThreads", "1");
}
