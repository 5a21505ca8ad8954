using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// Electricity Maps API v3: GET carbon-intensity/forecast?zone=Z with the `auth-token` header. Returns
/// `{"zone":"DE","forecast":[{"carbonIntensity":318,"datetime":"..."}],"updatedAt":"..."}`, life-cycle
/// average intensity, hourly.
/// </summary>
public sealed class ElectricityMapsProvider(HttpClient client, Uri baseUrl, string authToken, TimeSpan timeout) : IIntensityProvider
{
    public const string ProviderName = "electricitymaps";

    public string Name => ProviderName;

    public async Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"carbon-intensity/forecast?zone={Uri.EscapeDataString(region)}"));
        request.Headers.Add("auth-token", authToken);
        using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken);
        var forecast = ProviderHttp.Require(document.RootElement, "forecast", "$", Name);
        var points = new List<(DateTimeOffset, double)>();
        var index = 0;
        foreach (var point in forecast.EnumerateArray())
        {
            var at = $"$.forecast[{index++}]";
            var when = ProviderSamples.Time(ProviderHttp.Require(point, "datetime", at, Name), $"{at}.datetime", Name);
            if (ProviderSamples.Number(ProviderHttp.Require(point, "carbonIntensity", at, Name), $"{at}.carbonIntensity", Name) is { } value)
            {
                points.Add((when, value));
            }
        }
        return ProviderSamples.ToSeries(points, region.ToUpperInvariant(), IntensitySignal.Average, Name);
    }
}
