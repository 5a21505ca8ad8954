using System.Globalization;
using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>One point of the space: a value per dimension, in the space's order.</summary>
public sealed record Configuration(int Id, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>The values as text, e.g. "lr=0.003 width=64": two configurations with one key are the same trial.</summary>
    public string Key(IReadOnlyList<SearchDimension> space) =>
        string.Join(' ', space.Select((d, i) => $"{ShortName(d.Path)}={Values[i]?.ToJsonString()}"));

    private static string ShortName(string path) => path[(path.LastIndexOfAny(['.', ']']) + 1)..];
}

/// <summary>The configurations of a space: every grid point in order, or seeded draws.</summary>
public sealed class SearchSpace(IReadOnlyList<SearchDimension> dimensions)
{
    public IReadOnlyList<SearchDimension> Dimensions { get; } = dimensions;

    /// <summary>True when every dimension is a choice: the grid is the whole space, and draws take grid points without replacement.</summary>
    public bool IsFinite => Dimensions.All(d => d.Kind == DimensionKind.Choice);

    public int GridSize => Dimensions.Aggregate(1, (size, d) => size * GridValues(d).Count);

    /// <summary>The Cartesian product of each dimension's grid values, the last dimension varying fastest.</summary>
    public IReadOnlyList<Configuration> Grid()
    {
        var axes = Dimensions.Select(GridValues).ToList();
        var points = new List<Configuration>();
        var index = new int[axes.Count];
        for (var id = 0; id < GridSize; id++)
        {
            points.Add(new Configuration(id, [.. axes.Select((axis, d) => axis[index[d]]?.DeepClone())]));
            for (var d = axes.Count - 1; d >= 0 && ++index[d] == axes[d].Count; d--) index[d] = 0;
        }
        return points;
    }

    /// <summary>A choice's values, or GridPoints evenly spaced points of a range (log-spaced for log-uniform).</summary>
    public static IReadOnlyList<JsonNode?> GridValues(SearchDimension dimension)
    {
        if (dimension.Kind == DimensionKind.Choice) return dimension.Values;
        var points = Math.Max(1, dimension.GridPoints);
        return [.. Enumerable.Range(0, points).Select(i => Value(dimension, points == 1 ? 0.5 : i / (double)(points - 1)))];
    }

    /// <summary>The point at fraction <paramref name="u"/> (0..1) of a range: linear, or linear in the logarithm.</summary>
    public static JsonNode Value(SearchDimension dimension, double u)
    {
        var value = dimension.Kind == DimensionKind.LogUniform
            ? Math.Exp(Math.Log(dimension.Min) + u * (Math.Log(dimension.Max) - Math.Log(dimension.Min)))
            : dimension.Min + u * (dimension.Max - dimension.Min);
        // Round to 6 significant digits: 0.00316228 reads better in a report than 0.0031622776601683794, and trains the same.
        return dimension.Integer ? JsonValue.Create((int)Math.Round(value))
            : JsonValue.Create(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Draws configurations for the adaptive algorithms: grid points without replacement (a new shuffle once all are
/// drawn) when the space is finite, else independent uniform or log-uniform draws. Seeded: the same seed, the same draws.
/// </summary>
public sealed class ConfigurationDrawer(SearchSpace space, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Queue<Configuration> _shuffled = new();
    private int _nextId;

    public Configuration Draw()
    {
        if (!space.IsFinite)
        {
            return new Configuration(_nextId++, [.. space.Dimensions.Select(DrawValue)]);
        }
        if (_shuffled.Count == 0)
        {
            var grid = space.Grid().ToArray();
            _random.Shuffle(grid);
            foreach (var point in grid) _shuffled.Enqueue(point);
        }
        return _shuffled.Dequeue();
    }

    private JsonNode? DrawValue(SearchDimension dimension) => dimension.Kind == DimensionKind.Choice
        ? dimension.Values[_random.Next(dimension.Values.Count)]?.DeepClone()
        : SearchSpace.Value(dimension, _random.NextDouble());
}
