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
    /// <param name="discriminator">A property the type's polymorphism reads (a method's "kind"), not one of its fields.</param>
    public static void Check(JsonObject node, Type type, string path, JsonSerializerOptions options, List<SpecError> errors, string? discriminator = null)
    {
        var typeInfo = options.GetTypeInfo(type);
        var known = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in node.ToList())
        {
            var childPath = $"{path}.{name}";
            if (name == discriminator) continue;
            if (known.TryGetValue(name, out var methods) && methods.PropertyType == typeof(IReadOnlyList<Methods.MethodSpec>))
            {
                CheckMethods(node, name, childPath, options, errors);
                continue;
            }
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

    /// <summary>
    /// `training.methods`: each entry's kind must be known (else the list cannot be bound at all and is taken out),
    /// and each entry is checked as the method type its kind names.
    /// </summary>
    private static void CheckMethods(JsonObject parent, string name, string path, JsonSerializerOptions options, List<SpecError> errors)
    {
        var before = errors.Count;
        var kinds = Methods.MethodSpecRegistry.CheckKinds(JsonSerializer.SerializeToElement(parent[name]), path, errors);
        if (errors.Count > before || parent[name] is not JsonArray entries)
        {
            parent.Remove(name);
            return;
        }
        for (var i = 0; i < kinds.Count; i++)
        {
            if (kinds[i] is { } kind && entries[i] is JsonObject entry)
            {
                Check(entry, kind, $"{path}[{i}]", options, errors, Methods.MethodSpecRegistry.KindProperty);
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
