using System.Globalization;
using GreenTrain.Scheduler.Forecasting;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>
/// Reads the SDK's query parameters by hand rather than through binding, so every bad value becomes one entry of a
/// ValidationProblemDetails keyed by the parameter's name (what the SDK answers with 400), never a bare 400.
/// </summary>
public sealed class CarbonAwareQuery(IQueryCollection query, CarbonOptions options)
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool Valid => Errors.Count == 0;

    /// <summary>The locations named by repeated `location` (the SDK's binding name) or `locations` (its docs' examples).</summary>
    public IReadOnlyList<string> Locations(string name = "location")
    {
        var given = query[name].Concat(name == "location" ? query["locations"] : default(Microsoft.Extensions.Primitives.StringValues))
            .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim()).ToList();
        if (given.Count == 0)
        {
            Fail(name, $"The {name} field is required.");
            return [];
        }
        return given.Select(l => Location(l, name)).OfType<string>().ToList();
    }

    /// <summary>A location as GreenTrain spells it, or null (with an error) when it is not a planned region.</summary>
    public string? Location(string location, string field)
    {
        var known = options.PlannedRegions.FirstOrDefault(r => r.Equals(location, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            Fail(field, $"'{location}' is not a location this server knows; GET /locations lists them ({string.Join(", ", options.PlannedRegions)}).");
        }
        return known;
    }

    public DateTimeOffset? Time(string name) => ParseTime(query[name].ToString(), name);

    public int? Minutes(string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes) || minutes < 0)
        {
            Fail(name, $"The value '{text}' is not valid for {name}: a whole number of minutes, 0 or more.");
            return null;
        }
        return minutes;
    }

    /// <summary>A time as the SDK accepts it: ISO 8601 with or without an offset (none means UTC) or a plain date.</summary>
    public DateTimeOffset? ParseTime(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        Fail(name, $"The value '{text}' is not valid for {name}: expected an ISO 8601 time such as 2022-07-19T14:00:00Z.");
        return null;
    }

    public void Before(DateTimeOffset? start, string startName, DateTimeOffset? end, string endName)
    {
        if (start is { } s && end is { } e && s >= e)
        {
            Fail(startName, $"{startName} ({s:O}) must be before {endName} ({e:O}).");
        }
    }

    public void Fail(string field, string message) =>
        Errors[field] = Errors.TryGetValue(field, out var earlier) ? [.. earlier, message] : [message];
}
