namespace GreenTrain.Trainer.Extensions;

internal static class Extensions
{
    /// <summary>The Trainer's own registrations; the shared ones come from AddServiceDefaults.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTrainerWorker();
    }
}
