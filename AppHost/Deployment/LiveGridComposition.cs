using System.Globalization;
using GreenTrain.AppHost.Grid;
using Microsoft.Extensions.Configuration;

namespace GreenTrain.AppHost.Deployment;

/// <summary>
/// The grid of a deployment (publish mode): a live carbon provider whose credentials are secret parameters (azd asks
/// for them and keeps them as Container Apps secrets; the manifest holds only their names), forecasts refreshed at the
/// providers' own pace, GPU-sized pause costs, and no demo. Chosen with Deploy:CarbonProvider and Deploy:Regions.
/// </summary>
public sealed class LiveGridComposition : IGridComposition
{
    /// <summary>Electricity Maps covers the default regions (DE, FR) and most others; uk covers GB only but needs no key.</summary>
    public const string DefaultProvider = "electricitymaps";

    private static readonly string[] Providers = ["electricitymaps", "watttime", "uk", "carbonaware"];

    private readonly string _provider;
    private readonly List<(string Setting, IResourceBuilder<ParameterResource> Parameter)> _credentials = [];

    private LiveGridComposition(string provider, IReadOnlyList<string> regions)
    {
        _provider = provider;
        Regions = regions;
    }

    public IReadOnlyList<string> Regions { get; }

    public static LiveGridComposition From(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Deploy");
        var provider = (section["CarbonProvider"] is { Length: > 0 } configured ? configured : DefaultProvider).Trim().ToLowerInvariant();
        if (!Providers.Contains(provider))
        {
            throw new AppHostConfigurationException("Deploy:CarbonProvider",
                $"'{provider}' is not a live provider; use {string.Join(", ", Providers)} (trace replay is for the local loop only).");
        }
        var regions = section.GetSection("Regions").Get<string[]>() is { Length: > 0 } listed
            ? listed.Select(r => r.Trim().ToUpperInvariant()).Where(r => r.Length > 0).Distinct().ToArray()
            : ["DE", "FR"];
        var grid = new LiveGridComposition(provider, regions);
        switch (provider)
        {
            case "electricitymaps":
                grid._credentials.Add(("Carbon__ElectricityMapsToken", builder.AddParameter("electricitymaps-token", secret: true)));
                break;
            case "watttime":
                grid._credentials.Add(("Carbon__WattTimeUsername", builder.AddParameter("watttime-username", secret: true)));
                grid._credentials.Add(("Carbon__WattTimePassword", builder.AddParameter("watttime-password", secret: true)));
                break;
            case "carbonaware":
                // The Carbon Aware SDK's WebAPI is the user's own deployment; its address is not a secret.
                grid._credentials.Add(("Carbon__CarbonAwareBaseUrl", builder.AddParameter("carbonaware-url")));
                break;
        }
        return grid;
    }

    public void ConfigureScheduler(IResourceBuilder<ProjectResource> scheduler)
    {
        scheduler.WithEnvironment("Carbon__Provider", _provider)
            // Providers publish every 5 to 60 minutes; a quarter of an hour is one planning cell.
            .WithEnvironment("Carbon__RefreshSeconds", "900")
            .WithEnvironment("Scheduler__ReplanSeconds", "300")
            .WithEnvironment("Scheduler__DispatchSeconds", "60")
            .WithEnvironment("Demo__Enabled", "false");
        foreach (var (key, value) in GpuPauseCosts)
        {
            scheduler.WithEnvironment($"Scheduler__{key}", value);
        }
        for (var i = 0; i < Regions.Count; i++)
        {
            scheduler.WithEnvironment($"Carbon__Regions__{i}", Regions[i]);
        }
        foreach (var (setting, parameter) in _credentials)
        {
            scheduler.WithEnvironment(setting, parameter);
        }
    }

    /// <summary>
    /// What a pause costs on a GPU: writing a checkpoint of a model of a few GB takes tens of seconds and restarting
    /// (load, allocator and kernel warm-up) about a minute, both at the job's own measured power (Scheduler:CheckpointSeconds,
    /// ResumeSeconds). The kWh figures (the Scheduler's own defaults, seconds of a GPU at a few hundred watts) apply to a
    /// job with no power estimate yet; a move to another region adds the checkpoint's transfer.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GpuPauseCosts = new Dictionary<string, string>
    {
        ["CheckpointSeconds"] = "30",
        ["ResumeSeconds"] = "60",
        ["CheckpointKWh"] = 0.002.ToString(CultureInfo.InvariantCulture),
        ["ResumeKWh"] = 0.005.ToString(CultureInfo.InvariantCulture),
        ["MigrationKWh"] = 0.01.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>On a GPU workload profile the trainer gets the whole device; CUDA is required rather than falling back to CPU silently.</summary>
    public void ConfigureTrainer(IResourceBuilder<ProjectResource> trainer) => trainer
        .WithEnvironment("Worker__Device", "cuda")
        .WithEnvironment("Worker__LibTorch", "/opt/libtorch");
}
