using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>Reads typed fields of a JSON object, adding a problem by JSON path for each missing-type or out-of-range value instead of throwing.</summary>
internal sealed class FieldReader(List<SpecError> errors)
{
    public void Unknown(JsonObject obj, string at, string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key)) errors.Add(new($"{at}.{key}", $"is not a field here (known: {string.Join(", ", known)})"));
        }
    }

    public JsonObject? Object(JsonObject parent, string at, string name, string[] known)
    {
        if (parent[name] is null) return null;
        if (parent[name] is not JsonObject obj) { errors.Add(new(at, "must be an object")); return null; }
        Unknown(obj, at, known);
        return obj;
    }

    public string? String(JsonObject obj, string at, string name) => Get(obj, at, name, JsonValueKind.String, "a string", v => v.GetValue<string>());

    public bool? Bool(JsonObject obj, string at, string name) =>
        obj[name] is null ? null : obj[name]!.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? obj[name]!.GetValue<bool>() : Fail<bool?>(at, "must be true or false");

    public double? Number(JsonObject obj, string at, string name) => Get(obj, at, name, JsonValueKind.Number, "a number", v => (double?)v.GetValue<double>());

    public double? Positive(JsonObject obj, string at, string name) =>
        Number(obj, at, name) is { } value ? value > 0 ? value : Fail<double?>(at, "must be > 0") : null;

    public int? Whole(JsonObject obj, string at, string name, long min, long max) => Number(obj, at, name) is { } value
        ? value == Math.Floor(value) && value >= min && value <= max ? (int)value : Fail<int?>(at, $"must be a whole number from {min} to {max}")
        : null;

    public DateTimeOffset? Instant(JsonObject obj, string at, string name) => String(obj, at, name) is { } text
        ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var instant)
            ? instant : Fail<DateTimeOffset?>(at, "must be an ISO 8601 instant such as 2026-12-02T18:00:00Z")
        : null;

    public T Enum<T>(JsonObject obj, string at, string name, T fallback, params (string Name, T Value)[] choices)
    {
        if (String(obj, at, name) is not { } text) return fallback;
        foreach (var (choice, value) in choices)
        {
            if (choice == text) return value;
        }
        return Fail(at, $"must be one of {string.Join(", ", choices.Select(c => c.Name))}", fallback)!;
    }

    private T? Get<T>(JsonObject obj, string at, string name, JsonValueKind kind, string what, Func<JsonNode, T> read)
    {
        var node = obj[name];
        if (node is null) return default;
        return node.GetValueKind() == kind ? read(node) : Fail<T>(at, $"must be {what}");
    }

    private T? Fail<T>(string at, string message, T? fallback = default)
    {
        errors.Add(new(at, message));
        return fallback;
    }
}
