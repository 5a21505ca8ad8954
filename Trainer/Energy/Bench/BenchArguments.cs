using System.Globalization;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>--name value pairs with defaults that finish in well under a minute on two cores.</summary>
/// <param name="SimulatedGpuReadMs">overhead only: add a stand-in GPU whose reads block this long (0: none), for machines without one.</param>
public sealed record BenchArguments(int Steps, int Size, int Windows, double Seconds, string Out, double SimulatedGpuReadMs = 0)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }
            values[args[i][2..]] = args[i + 1];
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchArguments(
            Int("steps", 400), Int("size", 160), Int("windows", 6), Double("seconds", 10),
            values.GetValueOrDefault("out", "bench-results"), Double("simulate-gpu-read-ms", 0));
    }
}
