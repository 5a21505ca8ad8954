using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The Scheduler's last good intensity forecast of one region, as it lies in the store under
/// StoreKeys.CarbonForecast(region). The Scheduler writes it (and reads it back after a restart);
/// Telemetry prices energy windows with it. Read and write it only through <see cref="CarbonForecastJson"/>.
/// </summary>
/// <param name="FetchedAt">When the Scheduler got the forecast from its provider (UTC).</param>
/// <param name="Source">The provider that answered ("electricity-maps", "trace-replay", ...), for reports.</param>
/// <param name="Signal">Whether the values are average or marginal intensities.</param>
/// <param name="Intervals">The forecast, oldest first; gaps between intervals are times nobody forecast.</param>
public sealed record CarbonForecastEntry(
    DateTimeOffset FetchedAt,
    string Source,
    CarbonSignal Signal,
    // "values" is the name the cache has always used, so entries written before this contract still read.
    [property: JsonPropertyName("values")] IReadOnlyList<CarbonForecastInterval> Intervals);

/// <summary>
/// One forecast interval, times to the millisecond. On the wire it is the compact array
/// [start unix s, end unix s, gCO2eq/kWh], since a replayed or multi-day forecast holds hundreds of them.
/// </summary>
[JsonConverter(typeof(CarbonForecastIntervalConverter))]
public readonly record struct CarbonForecastInterval(DateTimeOffset Start, DateTimeOffset End, double GramsPerKwh);

/// <summary>Which question an intensity answers: the average mix (accounting) or the marginal generator (WattTime's MOER).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CarbonSignal>))]
public enum CarbonSignal
{
    [JsonStringEnumMemberName("average")] Average,
    [JsonStringEnumMemberName("marginal")] Marginal,
}
