using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>A client of the Scheduler's API that sends the key the AppHost generated at its start, as any caller must.</summary>
public static class SchedulerApiClient
{
    /// <summary>The key this AppHost run generated and gave the Scheduler (a new one at every start).</summary>
    public static async Task<string> KeyAsync(DistributedApplication app, CancellationToken cancellationToken = default) =>
        (await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == GreenTrain.AppHost.Deployment.SchedulerApiKey.ParameterName).GetValueAsync(cancellationToken))!;

    public static HttpClient Create(DistributedApplication app, string key)
    {
        var client = app.CreateHttpClient("scheduler");
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static async Task<HttpClient> CreateAsync(DistributedApplication app, CancellationToken cancellationToken = default) =>
        Create(app, await KeyAsync(app, cancellationToken));
}
