namespace GreenTrain.Scheduler.Extensions;

internal static class Extensions
{
    /// <summary>The Scheduler's own registrations; the shared ones come from AddServiceDefaults.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
    }
}
