using System.Text.Json;
using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The one JSON form of <see cref="CarbonForecastEntry"/>, shared by the Scheduler (writer) and Telemetry
/// (reader) so the two cannot drift. docs/store.md names the key.
/// </summary>
public static class CarbonForecastJson
{
    /// <summary>camelCase, enums as lower-case names; reading is case-insensitive and takes numeric enums, as older entries have.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string Serialize(CarbonForecastEntry entry) => JsonSerializer.Serialize(entry, Options);

    /// <summary>The entry, or null when it is damaged or holds no interval: a bad cache entry is no forecast, never a crash.</summary>
    public static CarbonForecastEntry? TryParse(string json)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CarbonForecastEntry>(json, Options);
            return entry is { Source: not null, Intervals.Count: > 0 } ? entry : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// Writes an interval as [start unix s, end unix s, gCO2eq/kWh] and reads it back. Times keep milliseconds
/// (1764064837.5): a trace replayed at 96x has 37.5 s intervals, which whole seconds would shift.
/// </summary>
public sealed class CarbonForecastIntervalConverter : JsonConverter<CarbonForecastInterval>
{
    private static double ToSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static DateTimeOffset FromSeconds(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));

    public override CarbonForecastInterval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = new double[3];
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A forecast interval is an array [start unix s, end unix s, gCO2eq/kWh].");
        }
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || count == values.Length)
            {
                throw new JsonException("A forecast interval holds exactly three numbers.");
            }
            values[count++] = reader.GetDouble();
        }
        if (count != values.Length || values[1] <= values[0])
        {
            throw new JsonException("A forecast interval holds exactly three numbers and ends after it starts.");
        }
        return new CarbonForecastInterval(FromSeconds(values[0]), FromSeconds(values[1]), values[2]);
    }

    public override void Write(Utf8JsonWriter writer, CarbonForecastInterval value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(ToSeconds(value.Start));
        writer.WriteNumberValue(ToSeconds(value.End));
        writer.WriteNumberValue(value.GramsPerKwh);
        writer.WriteEndArray();
    }
}
