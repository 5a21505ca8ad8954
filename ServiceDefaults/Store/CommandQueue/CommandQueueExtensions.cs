using GreenTrain.ServiceDefaults.Store.CommandQueue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class CommandQueueExtensions
{
    /// <summary>
    /// Registers the per-region command queue (producer, consumer, reaper, processor) on the shared store,
    /// with its options bound from the "CommandQueue" section and validated at start. Call after AddGreenTrainStore.
    /// </summary>
    public static TBuilder AddCommandQueue<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<CommandQueueOptions>()
            .BindConfiguration(CommandQueueOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CommandProducer>();
        builder.Services.AddSingleton<LeaseReaper>();
        builder.Services.AddSingleton<CommandConsumer>();
        builder.Services.AddSingleton<AppliedCommands>();
        builder.Services.AddSingleton<CommandProcessor>();
        builder.Services.AddSingleton<WorkerPresence>();
        // The control and progress keys that travel with the commands (docs/store.md).
        builder.Services.AddSingleton<GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore>();
        return builder;
    }
}
