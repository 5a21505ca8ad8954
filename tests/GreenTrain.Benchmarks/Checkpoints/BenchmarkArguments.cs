namespace GreenTrain.Benchmarks.Checkpoints;

/// <summary>The checkpoint benchmark's settings, from the command line, with defaults that reproduce docs/benchmarks.md.</summary>
public sealed record BenchmarkArguments(int SizeMiB, int Runs, IReadOnlyList<string> Stores, string Output)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        var result = new BenchmarkArguments(100, 3, ["redis", "garnet"], Path.Combine("artifacts", "benchmarks", "checkpoints.json"));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--size-mb" => result with { SizeMiB = PositiveInt(args[i], value) },
                "--runs" => result with { Runs = PositiveInt(args[i], value) },
                "--stores" => result with { Stores = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--output" => result with { Output = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }
        return result;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number, got '{value}'.");
}
