using GreenTrain.Trainer.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class CheckpointExtensions
{
    /// <summary>
    /// Registers the checkpoint store on the shared store (call after AddGreenTrainStore), with its options bound
    /// from the "Checkpoints" section and validated at start. A BackgroundCheckpointWriter is made per run, not
    /// registered: it belongs to the run whose snapshots it writes and is disposed (flushed) with it.
    /// </summary>
    public static TBuilder AddCheckpointStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<CheckpointOptions>()
            .BindConfiguration(CheckpointOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CheckpointStore>();
        return builder;
    }
}
