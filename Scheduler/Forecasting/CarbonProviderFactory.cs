using GreenTrain.Scheduler.Providers;

namespace GreenTrain.Scheduler.Forecasting;

/// <summary>Builds the provider named by Carbon:Provider from its options (credentials were validated at start).</summary>
public static class CarbonProviderFactory
{
    public const string HttpClientName = "carbon";

    public static IIntensityProvider Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<CarbonOptions>();
        var time = services.GetRequiredService<TimeProvider>();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        return options.Provider switch
        {
            "uk" => new UkCarbonIntensityProvider(client, options.UkBaseUrl, timeout, time),
            "electricitymaps" => new ElectricityMapsProvider(client, options.ElectricityMapsBaseUrl, options.ElectricityMapsToken!, timeout),
            "watttime" => new WattTimeProvider(client, options.WattTimeBaseUrl, options.WattTimeUsername!, options.WattTimePassword!, timeout, time),
            "carbonaware" => new CarbonAwareSdkProvider(client, options.CarbonAwareBaseUrl, timeout,
                options.CarbonAwareSignal == "average" ? ServiceDefaults.Carbon.IntensitySignal.Average : ServiceDefaults.Carbon.IntensitySignal.Marginal),
            _ => new TraceReplayProvider(options.Replay, time),
        };
    }
}
