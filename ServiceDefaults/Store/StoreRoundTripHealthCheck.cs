using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GreenTrain.ServiceDefaults.Store;

/// <summary>Healthy only while a write and a read of the shared store both succeed.</summary>
internal sealed class StoreRoundTripHealthCheck(GreenTrainStore store, ServiceIdentity identity) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await store.RoundTripAsync(identity.Name).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"store round-trip {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("store round-trip failed", ex);
        }
    }
}
