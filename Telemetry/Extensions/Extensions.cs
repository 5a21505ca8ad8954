namespace GreenTrain.Telemetry.Extensions;

internal static class Extensions
{
    /// <summary>The Telemetry's own registrations; the shared ones come from AddServiceDefaults.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
    }
}
