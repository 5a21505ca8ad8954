using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>Options of the dedup benchmark; defaults fit about 10 minutes on 2 busy cores.</summary>
public sealed record DedupArguments
{
    public double Share { get; init; } = 0.3;
    public int Seed { get; init; } = 7;
    public double Threshold { get; init; } = 0.8;
    public int ShingleSize { get; init; } = 3;
    public int HashSide { get; init; } = 16;
    public double ImageCosine { get; init; } = 0.9;
    public double ImageDifference { get; init; } = 0.04;
    /// <summary>Where the training comparison trains (the dedup stages run on the CPU cores either way).</summary>
    public DeviceRequest Device { get; init; } = DeviceRequest.Cpu;
    /// <summary>An external LibTorch folder for CUDA; null finds one.</summary>
    public string? LibTorch { get; init; }
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
    /// <summary>Training seeds (1337, 1338, ...): each trains the full and the deduplicated set once, so the spread between seeds is seen beside the difference.</summary>
    public int Seeds { get; init; } = 1;
    public int Threads { get; init; } = 1;
    /// <summary>Steps measured (after 20 of warm-up) to price one epoch of the MLP and of the CNN spec beside the stage; 0: not measured.</summary>
    public int EpochSteps { get; init; } = 200;
    /// <summary>The CNN whose epoch the stage is also priced against: the project's example spec for Fashion-MNIST.</summary>
    public string CnnSpec { get; init; } = "Trainer/examples/fashion-mnist-cnn.json";
    public string Text { get; init; } = "/usr/share/games/fortunes";
    public string Scratch { get; init; } = Path.Combine(Path.GetTempPath(), $"greentrain-dedup-bench-{Environment.ProcessId}");
    public string Output { get; init; } = "artifacts/benchmarks/dedup.json";
}
