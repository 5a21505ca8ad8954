using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GreenTrain.ServiceDefaults.Contracts.Methods;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The one JSON form of an ExperimentSpec (camelCase, enums as their string names, comments and
/// trailing commas allowed) and a parser that reports problems by JSON path instead of throwing.
/// </summary>
public static class ExperimentSpecJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { MethodSpecRegistry.AddDerivedTypes } },
            // A method's "kind" may come anywhere in its object, as users write it.
            AllowOutOfOrderMetadataProperties = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    public static string Serialize(ExperimentSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>SHA-256 (hex) of the spec's serialized form: tells whether a checkpoint belongs to this spec.</summary>
    public static string Hash(ExperimentSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(spec, Options))));

    /// <summary>
    /// Parses and validates. Unknown properties are errors (a misspelt field must not silently fall back
    /// to its default); a malformed document or a value of the wrong type stops parsing with one error.
    /// </summary>
    public static SpecParseResult Parse(string json)
    {
        var errors = new List<SpecError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return new SpecParseResult(null, [new SpecError("$", $"not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new SpecParseResult(null, [new SpecError("$", "must be a JSON object")]);
            }

            UnknownProperties(document.RootElement, typeof(ExperimentSpec), "$", errors);
            if (errors.Any(e => e.Path.StartsWith(MethodsPath, StringComparison.Ordinal)))
            {
                return new SpecParseResult(null, errors); // an unknown method kind cannot be bound
            }

            ExperimentSpec? spec;
            try
            {
                spec = document.RootElement.Deserialize<ExperimentSpec>(Options);
            }
            catch (JsonException e)
            {
                errors.Add(new SpecError(e.Path ?? "$", "has a value of the wrong type or form"));
                return new SpecParseResult(null, errors);
            }

            if (spec is null)
            {
                return new SpecParseResult(null, [new SpecError("$", "must be a JSON object")]);
            }

            errors.AddRange(ExperimentSpecValidator.Validate(spec));
            return new SpecParseResult(errors.Count == 0 ? spec : null, errors);
        }
    }

    private const string MethodsPath = "$.training.methods";

    private static void UnknownProperties(JsonElement element, Type type, string path, List<SpecError> errors, string? discriminator = null)
    {
        var typeInfo = Options.GetTypeInfo(type);
        if (typeInfo.Kind != JsonTypeInfoKind.Object || element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var known = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (property.Name == discriminator) continue;
            if (!known.TryGetValue(property.Name, out var info))
            {
                errors.Add(new SpecError(childPath, "is not a known field"));
                continue;
            }

            if (info.PropertyType == typeof(IReadOnlyList<MethodSpec>))
            {
                var kinds = MethodSpecRegistry.CheckKinds(property.Value, childPath, errors);
                for (var i = 0; i < kinds.Count; i++)
                {
                    if (kinds[i] is { } kind) UnknownProperties(property.Value[i], kind, $"{childPath}[{i}]", errors, MethodSpecRegistry.KindProperty);
                }
                continue;
            }

            var childType = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
            UnknownProperties(property.Value, childType, childPath, errors);
        }
    }
}

/// <summary>The spec when it is valid (Errors empty), else null and every reason.</summary>
public sealed record SpecParseResult(ExperimentSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}

/// <summary>One bad field: its JSON path and what is wrong, printed as "$.training.batchSize: must be >= 1".</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
