using GreenTrain.Trainer.Energy.Hosting;
using GreenTrain.Trainer.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class WorkerExtensions
{
    /// <summary>
    /// Registers the worker and what it uses: the command queue, the checkpoint store, the energy meter, and
    /// the "Worker" options, validated at start. Call after AddServiceDefaults (which connects the store).
    /// </summary>
    public static IHostApplicationBuilder AddTrainerWorker(this IHostApplicationBuilder builder)
    {
        builder.AddCommandQueue();
        builder.AddCheckpointStore();
        builder.AddEnergyMeter();
        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<GreenTrain.ServiceDefaults.Data.DataRootsOptions>()
            .BindConfiguration(GreenTrain.ServiceDefaults.Data.DataRootsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ExperimentOwnership>();
        builder.Services.AddSingleton<WorkerDevice>();
        builder.Services.AddSingleton<ExperimentRunner>();
        builder.Services.AddSingleton<ControlCommandHandler>();
        builder.Services.AddHostedService<TrainerWorker>();
        builder.Services.AddHostedService<WorkerPresenceAnnouncer>();
        return builder;
    }
}
