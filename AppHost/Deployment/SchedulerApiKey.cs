namespace GreenTrain.AppHost.Deployment;

/// <summary>
/// The key the Scheduler's API requires (X-Api-Key). A generated secret parameter: in publish mode the manifest says
/// "generate 32 characters" and azd keeps the value as a Container Apps secret; in run mode the AppHost makes a fresh
/// one each start. Whatever calls the Scheduler gets it from this parameter (the end-to-end tests read it too).
/// </summary>
public static class SchedulerApiKey
{
    public const string ParameterName = "scheduler-api-key";

    public static IResourceBuilder<ParameterResource> AddSchedulerApiKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(ParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    public static IResourceBuilder<ProjectResource> WithSchedulerApiKey(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<ParameterResource> key) => project.WithEnvironment("Scheduler__ApiKey", key);
}
