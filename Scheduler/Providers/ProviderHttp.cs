using System.Net;
using System.Text.Json;

namespace GreenTrain.Scheduler.Providers;

/// <summary>
/// One HTTP GET with the failure mapping every provider shares: a timeout, an unreachable host, 401/403,
/// 429 with its Retry-After, any other error status and a body that is not JSON each become a typed
/// <see cref="IntensityProviderException"/>.
/// </summary>
internal static class ProviderHttp
{
    /// <param name="headers">Sees the answer's headers before its body is read (for a provider that labels its data there).</param>
    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, HttpRequestMessage request, string provider, TimeSpan timeout,
        CancellationToken cancellationToken, Action<System.Net.Http.Headers.HttpResponseHeaders>? headers = null)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, timeoutSource.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s from {request.RequestUri}", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Unreachable, $"{request.RequestUri} unreachable: {ex.Message}", inner: ex);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new IntensityProviderException(provider, ProviderErrorKind.Unauthorized,
                    $"{(int)response.StatusCode} from {request.RequestUri?.AbsolutePath}: check the credentials in configuration");
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = RetryAfter(response) ?? TimeSpan.FromMinutes(1);
                throw new IntensityProviderException(provider, ProviderErrorKind.RateLimited,
                    $"rate limited; asked to wait {retryAfter.TotalSeconds:0} s", retryAfter);
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new IntensityProviderException(provider, ProviderErrorKind.HttpError, $"{(int)response.StatusCode} {response.ReasonPhrase} from {request.RequestUri?.AbsolutePath}");
            }
            headers?.Invoke(response.Headers);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(timeoutSource.Token);
                return await JsonDocument.ParseAsync(body, cancellationToken: timeoutSource.Token);
            }
            catch (JsonException ex)
            {
                throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"the answer is not JSON: {ex.Message}", inner: ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IntensityProviderException(provider, ProviderErrorKind.Timeout, $"the answer did not arrive within {timeout.TotalSeconds:0.#} s", inner: ex);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    /// <summary>Reads a property or throws Malformed naming the JSON path, so a changed API says where it changed.</summary>
    public static JsonElement Require(JsonElement element, string name, string path, string provider)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value))
        {
            return value;
        }
        throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{path}.{name} is missing");
    }
}
