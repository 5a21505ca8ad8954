using Microsoft.Extensions.DependencyInjection;

namespace GreenTrain.AppHost.Lifecycle;

/// <summary>How the composition keeps its services up and stops them in order (Aspire 13.6 has no restart policy for projects).</summary>
public static class LifecycleExtensions
{
    /// <summary>Restarts the project when its process exits on its own; a stop from the dashboard or the AppHost is left alone.</summary>
    public static IResourceBuilder<ProjectResource> WithRestartOnCrash(this IResourceBuilder<ProjectResource> project,
        int maxRestarts = 5, TimeSpan? window = null)
    {
        project.ApplicationBuilder.AddServiceLifecycle();
        return project.WithAnnotation(new RestartOnCrashAnnotation(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), maxRestarts,
            window ?? TimeSpan.FromMinutes(10)));
    }

    /// <summary>
    /// The restarter, and the shutdown that stops every project before the AppHost's own parts (the embedded store
    /// among them) go, so a service's last write on the way out (the trainer's final checkpoint) reaches the store.
    /// </summary>
    public static IDistributedApplicationBuilder AddServiceLifecycle(this IDistributedApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ImplementationType == typeof(CrashRestarter)))
        {
            return builder;
        }
        builder.Services.AddHostedService<CrashRestarter>();
        builder.Services.AddHostedService<ServicesFirstShutdown>();
        return builder;
    }
}
