using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>A parsed sweep: the spec when valid, else every problem by JSON path ("$.space[1].max: must be greater than min").</summary>
public sealed record SweepParseResult(SweepSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}

/// <summary>
/// Reads a sweep file (comments and trailing commas allowed, unknown fields refused), checks every field, and checks that
/// each value of each dimension makes a valid trial spec, so a typo in a path fails before any trial trains.
/// docs/sweeps.md describes the format.
/// </summary>
public static partial class SweepSpecJson
{
    private static readonly string[] Fields = ["name", "base", "baseFile", "space", "metric", "resource", "algorithm", "budget", "deadline"];

    /// <param name="baseDirectory">Where "baseFile" is looked up; null refuses baseFile (the HTTP API takes the base spec inline).</param>
    public static SweepParseResult Parse(string json, string? baseDirectory)
    {
        JsonObject document;
        try
        {
            document = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new JsonException("the document is not an object");
        }
        catch (JsonException e)
        {
            return new SweepParseResult(null, [new SpecError("$", $"must be a JSON object: {e.Message}")]);
        }

        var errors = new List<SpecError>();
        var reader = new FieldReader(errors);
        reader.Unknown(document, "$", Fields);
        var name = reader.String(document, "$.name", "name") ?? "sweep";
        if (name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("$.name", "must be 1-100 letters, digits, '-', '_' or '.' (trial ids are made from it)"));
        }
        var baseSpec = ReadBase(document, baseDirectory, errors);
        var space = ReadSpace(document, reader, errors);
        var spec = new SweepSpec
        {
            Name = name,
            Base = baseSpec ?? [],
            Space = space,
            Metric = ReadMetric(document, reader),
            Resource = ReadResource(document, reader, errors),
            Algorithm = ReadAlgorithm(document, reader),
            Budget = ReadBudget(document, reader),
            Deadline = reader.Instant(document, "$.deadline", "deadline"),
        };
        if (errors.Count == 0) CheckTrialSpecs(spec, errors);
        return new SweepParseResult(errors.Count == 0 ? spec : null, errors);
    }

    private static JsonObject? ReadBase(JsonObject document, string? baseDirectory, List<SpecError> errors)
    {
        var inline = document["base"];
        var file = document["baseFile"];
        if ((inline is null) == (file is null))
        {
            errors.Add(new("$.base", "give exactly one of base (the experiment spec inline) and baseFile (its path)"));
            return null;
        }
        if (inline is not null)
        {
            if (inline is JsonObject obj) return obj;
            errors.Add(new("$.base", "must be an experiment spec object"));
            return null;
        }
        if (baseDirectory is null)
        {
            errors.Add(new("$.baseFile", "is not accepted here: give the experiment spec inline as base"));
            return null;
        }
        var path = file is JsonValue v && v.TryGetValue<string>(out var p) ? Path.Combine(baseDirectory, p) : null;
        if (path is null || !File.Exists(path))
        {
            errors.Add(new("$.baseFile", path is null ? "must be a string" : $"names {path}, which does not exist"));
            return null;
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            errors.Add(new("$.baseFile", $"{path} is not a JSON object: {e.Message}"));
            return null;
        }
    }

    /// <summary>Each value of each dimension, the others at their first grid value, must make a valid experiment spec.</summary>
    private static void CheckTrialSpecs(SweepSpec spec, List<SpecError> errors)
    {
        var axes = spec.Space.Select(SearchSpace.GridValues).ToList();
        for (var d = 0; d < axes.Count; d++)
        {
            for (var i = 0; i < axes[d].Count; i++)
            {
                var values = axes.Select((axis, k) => k == d ? axis[i] : axis[0]).ToList();
                var built = TrialSpecs.Build(spec, new Configuration(0, values));
                foreach (var error in built.Errors)
                {
                    // A problem with a varied field points at the dimension's value; any other at the base spec's field.
                    var varied = spec.Space.Any(s => error.Path.StartsWith(s.Path, StringComparison.Ordinal));
                    var at = !varied ? "$.base" + error.Path[1..]
                        : spec.Space[d].Kind == DimensionKind.Choice ? $"$.space[{d}].values[{i}]" : $"$.space[{d}]";
                    var problem = new SpecError(at, $"makes the trial spec invalid: {error}");
                    if (!errors.Contains(problem)) errors.Add(problem);
                }
            }
        }
    }
}
