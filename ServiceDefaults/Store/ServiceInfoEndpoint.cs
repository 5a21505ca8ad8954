using GreenTrain.ServiceDefaults.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GreenTrain.ServiceDefaults.Store;

/// <summary>
/// What GET /info answers in Development: who the service is and how its store connection is doing, and, for a
/// service that runs as replicas with one leader (the Scheduler), this replica's role ("leader" or "follower").
/// </summary>
public sealed record ServiceInfo(string Name, string Version, string StoreKind, double StoreLatencyMs, long Starts, string? Role = null, string? Replica = null);

/// <summary>A service whose replicas elect a leader registers one, so /info can say which role this replica has.</summary>
public interface IReplicaRole
{
    string Replica { get; }

    /// <summary>"leader" or "follower".</summary>
    string Role { get; }
}

/// <summary>What GET /info answers elsewhere: only whether the service can reach its store, since the endpoint is reachable from outside.</summary>
public sealed record ServiceStatus(string Status);

public static class ServiceInfoEndpoint
{
    public static IEndpointRouteBuilder MapServiceInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/info", GetInfoAsync).WithName("GetServiceInfo");
        return endpoints;
    }

    private static async Task<IResult> GetInfoAsync(GreenTrainStore store, ServiceIdentity identity, IHostEnvironment environment, IServiceProvider services)
    {
        var name = identity.Name;
        // Store kind, latency, start count and error text describe the internals: only the local loop sees them.
        var internals = environment.IsDevelopment();
        try
        {
            var latency = await store.RoundTripAsync(name);
            if (!internals)
            {
                return Results.Ok(new ServiceStatus("ok"));
            }
            var kind = await store.GetKindAsync();
            var starts = (long)await store.Database.StringGetAsync(StoreKeys.ServiceStarts(name));
            var replica = services.GetService(typeof(IReplicaRole)) as IReplicaRole;
            return Results.Ok(new ServiceInfo(name, ServiceVersion.Current, kind.ToString().ToLowerInvariant(),
                Math.Round(latency.TotalMilliseconds, 3), starts, replica?.Role, replica?.Replica));
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
        {
            return Results.Problem(title: "The shared store is unreachable", detail: internals ? ex.Message : null,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
