using System.Globalization;
using System.Text.Json;

namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// Reads the Carbon Aware SDK JSON forms: its data-source file (`{"Emissions":[{"Location","Time","Rating","Duration"}]}`,
/// where Rating may be a string) and the plain array its emissions endpoints answer (`[{"location","time","rating","duration"}]`).
/// A file may hold several locations; <paramref name="region"/> picks one, else the only one.
/// </summary>
public static class CarbonAwareJsonTraceReader
{
    public static IntensitySeries Read(Stream stream, string file, string? region = null, TracePolicy? policy = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"{file}: not valid JSON ({ex.Message}).");
        }
        using (document)
        {
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Array ? root
                : TryGet(root, "Emissions", out var emissions) && emissions.ValueKind == JsonValueKind.Array ? emissions
                : throw new TraceFormatException($"{file}: expected an `Emissions` array or a top-level array of emissions.");
            return ReadItems(items, file, region, policy);
        }
    }

    /// <summary>The emissions array of a file or of an SDK answer (the provider reads its HTTP answers with this too).</summary>
    public static IntensitySeries ReadItems(JsonElement items, string file, string? region, TracePolicy? policy = null)
    {
        policy ??= TracePolicy.Utc;
        var byLocation = new Dictionary<string, List<(DateTimeOffset, double)>>(StringComparer.OrdinalIgnoreCase);
        var durations = new Dictionary<string, TimeSpan?>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = $"{file}: $[{index++}]";
            var location = TryGet(item, "Location", out var l) ? l.GetString() ?? "" : "";
            if (!TryGet(item, "Time", out var t) || !TraceValues.TryParseTime(t.GetString() ?? "", policy, out var time))
            {
                throw new TraceFormatException($"{path}.time is missing or not a time stamp.");
            }
            if (!byLocation.TryGetValue(location, out var list))
            {
                byLocation[location] = list = [];
            }
            if (!TryGet(item, "Rating", out var r) || !TryReadNumber(r, out var rating))
            {
                list.Add((time, double.NaN)); // a null rating is a gap, marked where it starts
                continue;
            }
            list.Add((time, rating));
            durations.TryAdd(location, TryGet(item, "Duration", out var d) ? ReadDuration(d) : null);
        }
        var chosen = region is not null ? byLocation.Keys.FirstOrDefault(k => k.Equals(region, StringComparison.OrdinalIgnoreCase))
            : byLocation.Count == 1 ? byLocation.Keys.First() : null;
        if (chosen is null)
        {
            throw new TraceFormatException(
                $"{file}: {(region is null ? "several locations" : $"no location '{region}'")} among [{string.Join(", ", byLocation.Keys)}]; name one.");
        }
        var series = PointSamples.ToSeries(byLocation[chosen], chosen, IntensitySignal.Average, "carbon-aware-sdk-trace", file);
        return durations.GetValueOrDefault(chosen) is { } duration && series.Intervals.Count == 1
            ? new IntensitySeries(chosen, [series.Intervals[0] with { End = series.Intervals[0].Start + duration }])
            : series;
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return value.ValueKind != JsonValueKind.Null;
            }
        }
        return false;
    }

    private static bool TryReadNumber(JsonElement element, out double value)
    {
        value = double.NaN;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out value),
            JsonValueKind.String => TraceValues.TryParseValue(element.GetString() ?? "", out value),
            _ => false,
        };
    }

    /// <summary>The SDK writes durations as "hh:mm:ss"; some clients write minutes as a number.</summary>
    private static TimeSpan? ReadDuration(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => TimeSpan.FromMinutes(element.GetDouble()),
        JsonValueKind.String when TimeSpan.TryParse(element.GetString(), CultureInfo.InvariantCulture, out var span) => span,
        _ => null,
    };
}
