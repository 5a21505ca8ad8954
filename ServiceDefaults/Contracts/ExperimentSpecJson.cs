using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
            // The web defaults read "64" as 64; a spec says what it means, so a number must be a JSON number.
            NumberHandling = JsonNumberHandling.Strict,
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
    /// Parses and validates. Unknown properties are errors (a misspelt field must not silently fall back to its
    /// default), and so is each value of the wrong type; every one is reported, with the validator's findings on the rest.
    /// </summary>
    public static SpecParseResult Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return new SpecParseResult(null, [new SpecError("$", $"not valid JSON: {e.Message}")]);
        }
        if (root is not JsonObject document)
        {
            return new SpecParseResult(null, [new SpecError("$", "must be a JSON object")]);
        }

        var errors = new List<SpecError>();
        ExperimentSpecShape.Check(document, typeof(ExperimentSpec), "$", Options, errors);
        var shapeErrors = errors.Count;
        ExperimentSpec? spec;
        try
        {
            spec = document.Deserialize<ExperimentSpec>(Options);
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
        // A field taken out for its type was read as its default; what the validator says of that default is noise.
        var removed = errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(ExperimentSpecValidator.Validate(spec).Where(e => !removed.Contains(e.Path)));
        return new SpecParseResult(errors.Count == 0 && shapeErrors == 0 ? spec : null, errors, spec);
    }
}

/// <summary>
/// The spec when it is valid (Errors empty), else null and every reason. <paramref name="AsRead"/> is the document
/// as far as it could be read, valid or not, for checks a service adds of its own (its clock, its regions).
/// </summary>
public sealed record SpecParseResult(ExperimentSpec? Spec, IReadOnlyList<SpecError> Errors, ExperimentSpec? AsRead = null)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}

/// <summary>One bad field: its JSON path and what is wrong, printed as "$.training.batchSize: must be >= 1".</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
