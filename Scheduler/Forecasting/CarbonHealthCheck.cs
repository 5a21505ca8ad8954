using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>Degraded while any region plans on a fallback forecast or has none yet; never unhealthy, since planning goes on.</summary>
public sealed class CarbonHealthCheck(ForecastService forecasts, CarbonOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var region in options.Regions)
        {
            if (!forecasts.Current.TryGetValue(region, out var forecast))
            {
                problems.Add($"{region}: no forecast yet");
            }
            else if (forecast.Degraded)
            {
                problems.Add($"{region}: {forecast.Origin} forecast ({forecast.Problem})");
            }
        }
        var provider = forecasts.Provider.Name;
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"{provider}: fresh forecasts for {string.Join(", ", options.Regions)}")
            : HealthCheckResult.Degraded($"{provider}: {string.Join("; ", problems)}"));
    }
}
