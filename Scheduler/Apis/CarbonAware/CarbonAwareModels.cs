using System.Text.Json.Serialization;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

// The Carbon Aware SDK Web API's JSON shapes (GSF carbon-aware-sdk, docs/carbon-aware-webapi.md and its
// WebApi Models/*DTO.cs), field names and casing as the SDK writes them, so an SDK client reads GreenTrain unchanged.

/// <summary>One observed value (emissions/bylocation[s][/best]): rating in g CO2e/kWh over [time, time + duration).</summary>
public sealed record EmissionsDataView(
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("rating")] double Rating,
    // The SDK's EmissionsData.Duration is a TimeSpan, written "hh:mm:ss" (e.g. "00:30:00").
    [property: JsonPropertyName("duration")] TimeSpan Duration);

/// <summary>One forecast point: the mean over [timestamp, timestamp + duration minutes), in g CO2e/kWh.</summary>
public sealed record ForecastPointView(
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("duration")] int Duration,
    [property: JsonPropertyName("value")] double Value);

/// <summary>A forecast with its optimal windows (emissions/forecasts/current and /batch).</summary>
public sealed record EmissionsForecastView(
    [property: JsonPropertyName("generatedAt")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset RequestedAt,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("dataStartAt")] DateTimeOffset DataStartAt,
    [property: JsonPropertyName("dataEndAt")] DateTimeOffset DataEndAt,
    [property: JsonPropertyName("windowSize")] int WindowSize,
    [property: JsonPropertyName("optimalDataPoints")] IReadOnlyList<ForecastPointView> OptimalDataPoints,
    [property: JsonPropertyName("forecastData")] IReadOnlyList<ForecastPointView> ForecastData);

/// <summary>The measured mean over a span (emissions/average-carbon-intensity).</summary>
public sealed record CarbonIntensityView(
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("startTime")] DateTimeOffset StartTime,
    [property: JsonPropertyName("endTime")] DateTimeOffset EndTime,
    [property: JsonPropertyName("carbonIntensity")] double CarbonIntensity);

/// <summary>
/// One entry of GET /locations. The SDK's documented shape capitalises these names (its location files' keys);
/// GreenTrain's regions are grid zones, not points, so the coordinates are null, as the SDK allows for zone names.
/// </summary>
public sealed record LocationView(
    [property: JsonPropertyName("Latitude")] double? Latitude,
    [property: JsonPropertyName("Longitude")] double? Longitude,
    [property: JsonPropertyName("Name")] string Name);
