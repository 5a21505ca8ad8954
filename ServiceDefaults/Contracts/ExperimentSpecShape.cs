using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// Checks a spec document's shape field by field before it is read: unknown fields, and values of the wrong type
/// ("wide" for a width, "64" for a batch size), are each reported by JSON path and taken out, so the rest can
/// still be read and validated and the user sees every bad field at once, not only the first one.
/// </summary>
internal static class ExperimentSpecShape
{
    /// <summary>Reports and removes, in place, every field of <paramref name="node"/> that <paramref name="type"/> does not have or cannot read.</summary>
    public static void Check(JsonObject node, Type type, string path, JsonSerializerOptions options, List<SpecError> errors)
    {
        var typeInfo = options.GetTypeInfo(type);
        var known = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in node.ToList())
        {
            var childPath = $"{path}.{name}";
            if (!known.TryGetValue(name, out var property))
            {
                errors.Add(new SpecError(childPath, "is not a known field"));
                node.Remove(name);
                continue;
            }
            var childType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (options.GetTypeInfo(childType).Kind == JsonTypeInfoKind.Object && value is JsonObject child)
            {
                Check(child, childType, childPath, options, errors);
            }
            else if (!Readable(value, property.PropertyType, options))
            {
                errors.Add(new SpecError(childPath, $"must be {Describe(childType)}"));
                node.Remove(name);
            }
        }
    }

    private static bool Readable(JsonNode? value, Type type, JsonSerializerOptions options)
    {
        try
        {
            value.Deserialize(type, options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        if (type.IsEnum)
        {
            var names = JsonSerializer.Serialize(Enum.GetValues(type), type.MakeArrayType(), ExperimentSpecJson.Options);
            return "one of " + string.Join(", ", JsonSerializer.Deserialize<string[]>(names)!);
        }
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(DateTimeOffset) => "a date and time such as 2026-12-01T18:00:00Z",
            _ when type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "a list",
            _ => "an object",
        };
    }
}
