using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>Options of the dedup benchmark; defaults fit about 10 minutes on 2 busy cores.</summary>
public sealed record DedupArguments
{
    public double Share { get; init; } = 0.3;
    public int Seed { get; init; } = 7;
    public double Threshold { get; init; } = 0.8;
    public int ShingleSize { get; init; } = 4;
    public int HashSide { get; init; } = 16;
    /// <summary>false: detection only (no training comparison).</summary>
    public bool Train { get; init; } = true;
    public bool Semantic { get; init; } = true;
    public double Eps { get; init; } = 0.02;
    public int ProxySteps { get; init; } = 200;
    public ModelKind Model { get; init; } = ModelKind.Mlp;
    public int Width { get; init; } = 256;
    public int Depth { get; init; } = 1;
    public int Epochs { get; init; } = 4;
    public int EvalEvery { get; init; } = 100;
    public int Threads { get; init; } = 1;
    public string Text { get; init; } = "/usr/share/games/fortunes";
    public string Scratch { get; init; } = Path.Combine(Path.GetTempPath(), $"greentrain-dedup-bench-{Environment.ProcessId}");
    public string Output { get; init; } = "artifacts/benchmarks/dedup.json";

    public const string Usage = """
        usage: GreenTrain.Benchmarks dedup [--share 0.3] [--threshold 0.8] [--shingle-size 4] [--hash-side 16] [--train true|false] [--semantic true|false] [--eps 0.02]
               [--proxy-steps 200] [--model mlp|cnn] [--width 256] [--depth 1] [--epochs 4] [--eval-every 100] [--threads 1]
               [--text DIR] [--seed 7] [--output FILE]
        """;

    public static DedupArguments Parse(string[] args)
    {
        var a = new DedupArguments();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            double D() => double.Parse(v, CultureInfo.InvariantCulture);
            a = args[i] switch
            {
                "--share" => a with { Share = D() },
                "--seed" => a with { Seed = int.Parse(v, CultureInfo.InvariantCulture) },
                "--threshold" => a with { Threshold = D() },
                "--shingle-size" => a with { ShingleSize = int.Parse(v, CultureInfo.InvariantCulture) },
                "--hash-side" => a with { HashSide = int.Parse(v, CultureInfo.InvariantCulture) },
                "--train" => a with { Train = bool.Parse(v) },
                "--semantic" => a with { Semantic = bool.Parse(v) },
                "--eps" => a with { Eps = D() },
                "--proxy-steps" => a with { ProxySteps = int.Parse(v, CultureInfo.InvariantCulture) },
                "--model" => a with { Model = Enum.Parse<ModelKind>(v, ignoreCase: true) },
                "--width" => a with { Width = int.Parse(v, CultureInfo.InvariantCulture) },
                "--depth" => a with { Depth = int.Parse(v, CultureInfo.InvariantCulture) },
                "--epochs" => a with { Epochs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--eval-every" => a with { EvalEvery = int.Parse(v, CultureInfo.InvariantCulture) },
                "--threads" => a with { Threads = int.Parse(v, CultureInfo.InvariantCulture) },
                "--text" => a with { Text = v },
                "--output" => a with { Output = v },
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
        }

        return a;
    }
}
