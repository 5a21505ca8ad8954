using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>
/// Sets one field of a JSON document by the path users write in a sweep ("$.training.optimizer.learningRate",
/// "$.training.methods[0].finalSparsity"), creating missing objects on the way, so a sweep can vary a field the
/// base spec leaves at its default.
/// </summary>
public static class JsonPathPatch
{
    /// <summary>The path's steps: property names and array indices; null when it is not of the form $.name(.name|[index])*.</summary>
    public static IReadOnlyList<object>? Parse(string path)
    {
        if (!path.StartsWith("$.", StringComparison.Ordinal)) return null;
        var steps = new List<object>();
        foreach (var part in path[2..].Split('.'))
        {
            var bracket = part.IndexOf('[');
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return null;
            steps.Add(name);
            for (var rest = bracket < 0 ? "" : part[bracket..]; rest.Length > 0;)
            {
                var close = rest.IndexOf(']');
                if (rest[0] != '[' || close < 2 || !int.TryParse(rest[1..close], out var index) || index < 0) return null;
                steps.Add(index);
                rest = rest[(close + 1)..];
            }
        }
        return steps;
    }

    /// <summary>Sets the value; returns a reason when the path cannot be set in this document (an index past an array's end, a field inside a number).</summary>
    public static string? Set(JsonObject document, string path, JsonNode? value)
    {
        var steps = Parse(path);
        if (steps is null) return "is not a path of the form $.name.name or $.name[0].name";
        JsonNode current = document;
        for (var i = 0; i < steps.Count; i++)
        {
            var last = i == steps.Count - 1;
            switch (steps[i], current)
            {
                case (string name, JsonObject obj):
                    if (last) { obj[name] = value?.DeepClone(); return null; }
                    current = obj[name] ??= steps[i + 1] is int ? new JsonArray() : new JsonObject();
                    break;
                case (int index, JsonArray array) when index < array.Count:
                    if (last) { array[index] = value?.DeepClone(); return null; }
                    current = array[index] ?? throw new InvalidOperationException();
                    break;
                case (int index, JsonArray):
                    return $"has index {index} past the end of its array";
                default:
                    return $"goes through a {current.GetValueKind()} where it needs {(steps[i] is int ? "an array" : "an object")}";
            }
        }
        return null;
    }
}
