using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.ServiceDefaults.Carbon.Traces;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// The Green Software Foundation Carbon Aware SDK Web API (self-hosted, no key by default):
/// GET /emissions/forecasts/current?location=L answers `[{"location","forecastData":[{"timestamp","duration","value"}], ...}]`
/// (duration in minutes, value in g/kWh); GET /emissions/bylocations?location=L&amp;time=..&amp;toTime=.. answers the
/// recorded emissions `[{"location","time","rating","duration"}]`.
/// The SDK's answers carry no signal: its docs call every value marginal, which holds for a WattTime data source but
/// not for Electricity Maps (average). The forecast is labelled by the answer's X-GreenTrain-Signal header when the
/// server is a GreenTrain Scheduler, else by <paramref name="signal"/> (Carbon:CarbonAwareSignal, what the SDK's data source gives).
/// </summary>
public sealed class CarbonAwareSdkProvider(HttpClient client, Uri baseUrl, TimeSpan timeout, IntensitySignal signal = IntensitySignal.Marginal)
    : IIntensityProvider
{
    public const string ProviderName = "carbon-aware-sdk";

    public string Name => ProviderName;

    public async Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"emissions/forecasts/current?location={Uri.EscapeDataString(region)}"));
        var labelled = signal;
        using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken, headers =>
        {
            if (headers.TryGetValues("X-GreenTrain-Signal", out var values) && Enum.TryParse<IntensitySignal>(values.FirstOrDefault(), true, out var said))
            {
                labelled = said;
            }
        });
        var root = document.RootElement;
        if (root.ValueKind != System.Text.Json.JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.NoData, $"no forecast for location '{region}'");
        }
        var intervals = new List<IntensityInterval>();
        var index = 0;
        foreach (var point in ProviderHttp.Require(root[0], "forecastData", "$[0]", Name).EnumerateArray())
        {
            var at = $"$[0].forecastData[{index++}]";
            var start = ProviderSamples.Time(ProviderHttp.Require(point, "timestamp", at, Name), $"{at}.timestamp", Name);
            var minutes = ProviderSamples.Number(ProviderHttp.Require(point, "duration", at, Name), $"{at}.duration", Name) ?? 5;
            if (ProviderSamples.Number(ProviderHttp.Require(point, "value", at, Name), $"{at}.value", Name) is { } value)
            {
                intervals.Add(new IntensityInterval(start, start.AddMinutes(minutes), value, labelled, Name, region));
            }
        }
        return ProviderSamples.FromIntervals(intervals, region, Name);
    }

    /// <summary>Recorded emissions of one location between two moments (the bylocations route).</summary>
    public async Task<IntensitySeries> GetEmissionsAsync(string region, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var query = $"emissions/bylocations?location={Uri.EscapeDataString(region)}&time={Uri.EscapeDataString(from.ToString("O"))}&toTime={Uri.EscapeDataString(to.ToString("O"))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, query));
        using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken);
        try
        {
            return CarbonAwareJsonTraceReader.ReadItems(document.RootElement, Name, region);
        }
        catch (TraceFormatException ex)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, ex.Message, inner: ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, ex.Message, inner: ex);
        }
    }
}
