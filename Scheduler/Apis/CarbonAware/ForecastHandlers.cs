using System.Text.Json;
using GreenTrain.Scheduler.Forecasting;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>The SDK's forecast routes: /emissions/forecasts/current and POST /emissions/forecasts/batch.</summary>
public static class ForecastHandlers
{
    public static async Task<IResult> CurrentAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken)
    {
        var query = new CarbonAwareQuery(http.Request.Query, options);
        var locations = query.Locations();
        var start = query.Time("dataStartAt");
        var end = query.Time("dataEndAt");
        var window = query.Minutes("windowSize");
        query.Before(start, "dataStartAt", end, "dataEndAt");
        if (!query.Valid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }
        var views = new List<EmissionsForecastView>();
        var signals = new List<ServiceDefaults.Carbon.IntensitySignal>();
        foreach (var location in locations)
        {
            if (await data.CurrentAsync(location, cancellationToken) is not { } forecast)
            {
                return NoForecast(location);
            }
            views.Add(View(forecast, location, data.Now, start, end, window));
            signals.AddRange(forecast.Series.Intervals.Select(i => i.Signal));
        }
        SignalHeader.Set(http.Response, signals);
        return TypedResults.Ok(views);
    }

    /// <summary>Body: [{"location","requestedAt","dataStartAt","dataEndAt","windowSize"}]; location and requestedAt are required.</summary>
    public static async Task<IResult> BatchAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken)
    {
        var query = new CarbonAwareQuery(http.Request.Query, options);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            query.Fail("requestedForecasts", $"The body is not valid JSON: {ex.Message}");
            return TypedResults.ValidationProblem(query.Errors);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                query.Fail("requestedForecasts", "The body must be a JSON array of requested forecasts.");
                return TypedResults.ValidationProblem(query.Errors);
            }
            var items = document.RootElement.EnumerateArray().Select((item, i) => BatchItem.Read(item, $"[{i}]", query)).ToList();
            if (!query.Valid)
            {
                return TypedResults.ValidationProblem(query.Errors);
            }
            var views = new List<EmissionsForecastView>();
            var signals = new List<ServiceDefaults.Carbon.IntensitySignal>();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i]!;
                if (await data.AsOfAsync(item.Location, item.RequestedAt, cancellationToken) is not { } forecast)
                {
                    query.Fail($"[{i}].requestedAt", $"GreenTrain had observed no intensity for {item.Location} by {item.RequestedAt:O}, so it had no forecast then.");
                    return TypedResults.ValidationProblem(query.Errors);
                }
                views.Add(View(forecast, item.Location, item.RequestedAt, item.DataStartAt, item.DataEndAt, item.WindowSize));
                signals.AddRange(forecast.Series.Intervals.Select(x => x.Signal));
            }
            SignalHeader.Set(http.Response, signals);
            return TypedResults.Ok(views);
        }
    }

    /// <summary>
    /// The SDK's defaults: dataStartAt/dataEndAt the forecast's first and last moments, windowSize one forecast point.
    /// Bounds outside the forecast leave forecastData empty (the SDK's documented behaviour), not an error.
    /// </summary>
    private static EmissionsForecastView View(SdkForecast forecast, string location, DateTimeOffset requestedAt,
        DateTimeOffset? start, DateTimeOffset? end, int? windowMinutes)
    {
        var series = forecast.Series;
        var from = start ?? series.Start;
        var to = end ?? series.End;
        var window = windowMinutes is > 0 ? TimeSpan.FromMinutes(windowMinutes.Value) : series.TypicalStep;
        var points = window > TimeSpan.Zero ? ForecastWindows.Rolling(series, location, from, to, window) : [];
        return new EmissionsForecastView(forecast.GeneratedAt, requestedAt, location, from, to, (int)Math.Round(window.TotalMinutes),
            ForecastWindows.Optimal(points), points);
    }

    private static IResult NoForecast(string location) =>
        TypedResults.Problem(title: "No forecast yet", statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: $"No forecast for {location} has been fetched yet; see the carbon health check.");

    private sealed record BatchItem(string Location, DateTimeOffset RequestedAt, DateTimeOffset? DataStartAt, DateTimeOffset? DataEndAt, int? WindowSize)
    {
        public static BatchItem? Read(JsonElement item, string at, CarbonAwareQuery query)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                query.Fail(at, "Each requested forecast must be an object.");
                return null;
            }
            string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var location = Text("location") is { Length: > 0 } l ? query.Location(l, $"{at}.location") : null;
            if (Text("location") is not { Length: > 0 })
            {
                query.Fail($"{at}.location", "The location field is required.");
            }
            var requestedAt = query.ParseTime(Text("requestedAt"), $"{at}.requestedAt");
            if (Text("requestedAt") is null)
            {
                query.Fail($"{at}.requestedAt", "The requestedAt field is required.");
            }
            var start = query.ParseTime(Text("dataStartAt"), $"{at}.dataStartAt");
            var end = query.ParseTime(Text("dataEndAt"), $"{at}.dataEndAt");
            query.Before(start, $"{at}.dataStartAt", end, $"{at}.dataEndAt");
            int? window = null;
            if (item.TryGetProperty("windowSize", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                if (w.ValueKind == JsonValueKind.Number && w.TryGetInt32(out var minutes) && minutes >= 0)
                {
                    window = minutes;
                }
                else
                {
                    query.Fail($"{at}.windowSize", "windowSize must be a whole number of minutes, 0 or more.");
                }
            }
            return location is null || requestedAt is null ? null : new BatchItem(location, requestedAt.Value, start, end, window);
        }
    }
}
