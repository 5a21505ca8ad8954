using GreenTrain.ServiceDefaults.Carbon.Traces;
using System.Net.Http.Headers;
using System.Text;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// WattTime API v3: GET /login with basic authentication gives a bearer token (valid about 30 minutes), then
/// GET /v3/forecast?region=R&amp;signal_type=co2_moer gives marginal emissions in lbs CO2/MWh, which we convert
/// to g/kWh (x 0.45359237). A 401 on a cached token logs in again once.
/// </summary>
public sealed class WattTimeProvider(HttpClient client, Uri baseUrl, string username, string password, TimeSpan timeout, TimeProvider time)
    : IIntensityProvider
{
    public const string ProviderName = "watttime";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(25);
    private readonly SemaphoreSlim _login = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    public string Name => ProviderName;

    public async Task<IntensitySeries> GetForecastAsync(string region, CancellationToken cancellationToken)
    {
        try
        {
            return await FetchAsync(region, await TokenAsync(false, cancellationToken), cancellationToken);
        }
        catch (IntensityProviderException ex) when (ex.Kind == ProviderErrorKind.Unauthorized && _token is not null)
        {
            return await FetchAsync(region, await TokenAsync(true, cancellationToken), cancellationToken);
        }
    }

    private async Task<IntensitySeries> FetchAsync(string region, string token, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUrl, $"v3/forecast?region={Uri.EscapeDataString(region)}&signal_type=co2_moer");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken);
        var root = document.RootElement;
        if (root.TryGetProperty("meta", out var meta) && meta.TryGetProperty("units", out var units)
            && units.GetString() is { } unit && unit != "lbs_co2_per_mwh")
        {
            throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, $"$.meta.units is '{unit}', expected lbs_co2_per_mwh");
        }
        var points = new List<(DateTimeOffset, double)>();
        var index = 0;
        foreach (var point in ProviderHttp.Require(root, "data", "$", Name).EnumerateArray())
        {
            var at = $"$.data[{index++}]";
            var when = ProviderSamples.Time(ProviderHttp.Require(point, "point_time", at, Name), $"{at}.point_time", Name);
            if (ProviderSamples.Number(ProviderHttp.Require(point, "value", at, Name), $"{at}.value", Name) is { } pounds)
            {
                points.Add((when, pounds * TraceValues.GramsPerKWhPerLbsPerMWh));
            }
        }
        return ProviderSamples.ToSeries(points, region, IntensitySignal.Marginal, Name);
    }

    private async Task<string> TokenAsync(bool renew, CancellationToken cancellationToken)
    {
        await _login.WaitAsync(cancellationToken);
        try
        {
            if (!renew && _token is not null && time.GetUtcNow() < _tokenExpires)
            {
                return _token;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "login"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
            using var document = await ProviderHttp.GetJsonAsync(client, request, Name, timeout, cancellationToken);
            _token = ProviderHttp.Require(document.RootElement, "token", "$", Name).GetString()
                ?? throw new IntensityProviderException(Name, ProviderErrorKind.Malformed, "$.token is null");
            _tokenExpires = time.GetUtcNow() + TokenLifetime;
            return _token;
        }
        finally
        {
            _login.Release();
        }
    }
}
