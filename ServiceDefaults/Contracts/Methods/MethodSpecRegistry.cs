using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// Every method kind the spec accepts, and the record its fields bind to. JSON parsing (the "kind"
/// discriminator), unknown-field checks and validation all read this one table; the Trainer maps the
/// same records to the classes that apply them (TrainingMethodRegistry).
/// </summary>
public static class MethodSpecRegistry
{
    public static IReadOnlyDictionary<string, Type> Kinds { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["magnitude-pruning"] = typeof(MagnitudePruningSpec),
        ["structured-sparsity"] = typeof(StructuredSparsitySpec),
        ["quantization-aware"] = typeof(QuantizationAwareSpec),
        ["distillation"] = typeof(DistillationSpec),
    };

    public const string KindProperty = "kind";

    public static string KindOf(MethodSpec spec) => Kinds.First(k => k.Value == spec.GetType()).Key;

    public static string KnownKinds => string.Join(", ", Kinds.Keys);

    /// <summary>A System.Text.Json resolver modifier that makes MethodSpec polymorphic over the registered kinds.</summary>
    public static void AddDerivedTypes(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(MethodSpec)) return;
        typeInfo.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = KindProperty,
            UnknownDerivedTypeHandling = System.Text.Json.Serialization.JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var (kind, type) in Kinds)
        {
            typeInfo.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, kind));
        }
    }

    /// <summary>
    /// Checks each entry's kind before binding (so an unknown kind is reported by its path, not as a
    /// type error) and returns the record type of each valid entry, for the unknown-field check.
    /// </summary>
    public static IReadOnlyList<Type?> CheckKinds(JsonElement methods, string path, List<SpecError> errors)
    {
        var types = new List<Type?>();
        if (methods.ValueKind != JsonValueKind.Array)
        {
            if (methods.ValueKind != JsonValueKind.Null) errors.Add(new SpecError(path, "must be a list of methods"));
            return types;
        }

        var index = 0;
        foreach (var entry in methods.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            Type? type = null;
            if (entry.ValueKind != JsonValueKind.Object) errors.Add(new SpecError(at, "must be an object with a kind"));
            else if (!entry.TryGetProperty(KindProperty, out var kind) || kind.ValueKind != JsonValueKind.String)
                errors.Add(new SpecError($"{at}.{KindProperty}", $"is required: one of {KnownKinds}"));
            else if (!Kinds.TryGetValue(kind.GetString()!, out type))
                errors.Add(new SpecError($"{at}.{KindProperty}", $"'{kind.GetString()}' is not a known method: one of {KnownKinds}"));
            types.Add(type);
        }
        return types;
    }

    /// <summary>Each entry's own rules, and the rule that a kind appears at most once (a method owns one checkpoint section).</summary>
    public static void Validate(IReadOnlyList<MethodSpec>? methods, Action<string, string> fail)
    {
        if (methods is null) return;
        var seen = new HashSet<Type>();
        for (var i = 0; i < methods.Count; i++)
        {
            var at = $"$.training.methods[{i}]";
            if (methods[i] is null) { fail(at, "must be an object with a kind"); continue; }
            if (!seen.Add(methods[i].GetType())) fail($"{at}.{KindProperty}", "appears twice; each method kind may be listed once");
            foreach (var (field, message) in methods[i].Validate()) fail($"{at}.{field}", message);
        }
    }
}
