using System.Text.Json;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// The National Grid ESO Carbon Intensity API (no key). Region "GB" is the national forecast
/// (/intensity/{from}/fw48h); "GB-{id}" is a DNO region (/regional/intensity/{from}/fw48h/regionid/{id}, ids 1-17).
/// Each half hour carries a forecast and, once past, an actual; the actual wins where present.
/// </summary>
public sealed class UkCarbonIntensityProvider(HttpClient client, Uri baseUrl, TimeSpan timeout, TimeProvider time) : IIntensityProvider
{
    public const string ProviderName = "uk-carbon-intensity";

    public string Name => ProviderName;

    public async Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken)
    {
        var from = time.GetUtcNow().AddMinutes(-30).ToString("yyyy-MM-ddTHH:mmZ");
        var path = region.Equals("GB", StringComparison.OrdinalIgnoreCase) ? $"intensity/{from}/fw48h"
            : region.StartsWith("GB-", StringComparison.OrdinalIgnoreCase) && int.TryParse(region[3..], out var id) && id is >= 1 and <= 17
                ? $"regional/intensity/{from}/fw48h/regionid/{id}"
                : throw new IntensityProviderException(Name, ProviderErrorKind.UnknownRegion, $"region '{region}' is neither GB nor GB-1 .. GB-17");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        request.Headers.Accept.ParseAdd("application/json");
        using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken);
        var data = ProviderHttp.Require(document.RootElement, "data", "$", Name);
        var periods = data.ValueKind switch
        {
            JsonValueKind.Array when path.StartsWith("intensity", StringComparison.Ordinal) => data,
            // The regional route wraps the periods in the region: {"data":{"regionid":13,...,"data":[...]}} (or a one-element array of it).
            JsonValueKind.Array when data.GetArrayLength() > 0 => ProviderHttp.Require(data[0], "data", "$.data[0]", Name),
            JsonValueKind.Object => ProviderHttp.Require(data, "data", "$.data", Name),
            _ => throw new IntensityProviderException(Name, ProviderErrorKind.NoData, "$.data is empty"),
        };
        var intervals = new List<IntensityInterval>();
        var index = 0;
        foreach (var period in periods.EnumerateArray())
        {
            var at = $"$.data[{index++}]";
            var start = ProviderSamples.Time(ProviderHttp.Require(period, "from", at, Name), $"{at}.from", Name);
            var end = ProviderSamples.Time(ProviderHttp.Require(period, "to", at, Name), $"{at}.to", Name);
            var intensity = ProviderHttp.Require(period, "intensity", at, Name);
            var actual = intensity.TryGetProperty("actual", out var a) ? ProviderSamples.Number(a, $"{at}.intensity.actual", Name) : null;
            var forecast = intensity.TryGetProperty("forecast", out var f) ? ProviderSamples.Number(f, $"{at}.intensity.forecast", Name) : null;
            if ((actual ?? forecast) is { } value && end > start)
            {
                intervals.Add(new IntensityInterval(start, end, value, IntensitySignal.Average, Name, region.ToUpperInvariant()));
            }
        }
        return ProviderSamples.FromIntervals(intervals, region.ToUpperInvariant(), Name);
    }
}
